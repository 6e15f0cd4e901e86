using Microsoft.Extensions.Logging;

namespace Berth.Server.Secrets;

/// <summary>A logger that hands its entries on with secret values replaced: in the message, the structured values and the exception text.</summary>
internal sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (redactor.IsEmpty || !inner.IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var message = formatter(state, exception);
        var redacted = new RedactedLogState(redactor.Redact(message), RedactProperties(state, out var propertiesChanged));
        var safeException = RedactedException.From(exception, redactor);
        if (!propertiesChanged && ReferenceEquals(safeException, exception) && string.Equals(redacted.Message, message, StringComparison.Ordinal))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        inner.Log(logLevel, eventId, redacted, safeException, static (s, _) => s.Message);
    }

    private List<KeyValuePair<string, object?>> RedactProperties<TState>(TState state, out bool changed)
    {
        changed = false;
        var properties = new List<KeyValuePair<string, object?>>();
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return properties;
        }

        foreach (var (key, value) in pairs)
        {
            var text = value switch
            {
                null => null,
                string s => s,
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            var safe = redactor.Redact(text);
            if (!string.Equals(safe, text, StringComparison.Ordinal))
            {
                changed = true;
                properties.Add(KeyValuePair.Create<string, object?>(key, safe));
            }
            else
            {
                properties.Add(KeyValuePair.Create(key, value));
            }
        }

        return properties;
    }
}
