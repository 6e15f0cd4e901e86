namespace Berth.Server.Problems;

/// <summary>
/// Text a caller sent (a name, a path, a URI, a header), made safe to echo in an error, a log line or an audit record:
/// cut at a bound (with "…"), every control character replaced by '?', so it can neither flood nor split a line.
/// </summary>
internal static class CallerText
{
    /// <summary>How much of a caller's text an error message echoes.</summary>
    public const int ErrorLength = 100;

    /// <summary>How much of a caller's text an audit record keeps.</summary>
    public const int AuditLength = 200;

    public static string Printable(string? text, int maxLength = ErrorLength)
    {
        var value = text ?? "";
        var cut = value.Length > maxLength ? value[..maxLength] + "…" : value;
        return cut.Any(char.IsControl) ? string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c)) : cut;
    }
}
