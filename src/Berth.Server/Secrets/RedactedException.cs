namespace Berth.Server.Secrets;

/// <summary>Stands in for a logged exception whose message or stack text held a secret value; prints the redacted text instead.</summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;

    private RedactedException(string message, string text)
        : base(message) => _text = text;

    public override string? StackTrace => null;

    /// <summary><paramref name="exception"/> itself when its text holds no known value, else a stand-in with the redacted text.</summary>
    public static Exception? From(Exception? exception, SecretRedactor redactor)
    {
        if (exception is null)
        {
            return null;
        }

        var text = exception.ToString();
        var safe = redactor.Redact(text);
        return string.Equals(safe, text, StringComparison.Ordinal) ? exception : new RedactedException(redactor.Redact(exception.Message), safe);
    }

    public override string ToString() => _text;
}
