using System.Globalization;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// Checks that a <c>/metrics</c> answer is the Prometheus text exposition format: <c># HELP name text</c> and
/// <c># TYPE name counter|gauge|histogram|summary|untyped</c> lines, other comments, and samples
/// <c>name{label="value",…} value [timestamp]</c>. Hand-written because the packages served here (prometheus-net, the
/// OpenTelemetry exporter) write this format but none parses it, and the check needs only the grammar, not the values.
/// </summary>
internal static class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped", "info", "stateset", "gaugehistogram", "unknown"];

    /// <summary>The number of samples, or the first problem as <c>line N: …</c>.</summary>
    public static (int Samples, string? Problem) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var problem = line.StartsWith('#') ? Comment(line) : Sample(line);
            if (problem is not null)
            {
                return (samples, $"line {i + 1}: {problem} (in '{Shorten(line)}')");
            }

            samples += line.StartsWith('#') ? 0 : 1;
        }

        return samples == 0 ? (0, "no samples; expected lines like 'requests_total 3'") : (samples, null);
    }

    private static string? Comment(string line)
    {
        var parts = line[1..].TrimStart().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0] is not ("HELP" or "TYPE"))
        {
            return null; // any other comment, including "# EOF" of OpenMetrics
        }

        if (parts.Length < 2 || !IsMetricName(parts[1]))
        {
            return $"# {parts[0]} without a valid metric name";
        }

        return parts[0] == "TYPE" && (parts.Length < 3 || !Types.Contains(parts[2].Trim(), StringComparer.Ordinal))
            ? $"# TYPE {parts[1]} has an unknown type; expected one of {string.Join(", ", Types[..5])}"
            : null;
    }

    private static string? Sample(string line)
    {
        var at = 0;
        while (at < line.Length && IsNameChar(line[at], at == 0))
        {
            at++;
        }

        if (at == 0)
        {
            return "a sample must start with a metric name";
        }

        if (at < line.Length && line[at] == '{')
        {
            var end = Labels(line, at + 1);
            if (end < 0)
            {
                return "labels are not name=\"value\" pairs closed by '}'";
            }

            at = end;
        }

        var rest = line[at..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is 0 or > 2)
        {
            return "expected a value (and an optional timestamp) after the name";
        }

        if (!IsNumber(rest[0]))
        {
            return $"'{Shorten(rest[0])}' is not a number";
        }

        return rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"'{Shorten(rest[1])}' is not a timestamp in milliseconds"
            : null;
    }

    /// <summary>The index after the closing brace of a label set starting at <paramref name="at"/>, or -1.</summary>
    private static int Labels(string line, int at)
    {
        while (at < line.Length)
        {
            while (at < line.Length && line[at] is ' ' or ',')
            {
                at++;
            }

            if (at < line.Length && line[at] == '}')
            {
                return at + 1;
            }

            var start = at;
            while (at < line.Length && (char.IsAsciiLetterOrDigit(line[at]) || line[at] == '_'))
            {
                at++;
            }

            if (at == start || at + 1 >= line.Length || line[at] != '=' || line[at + 1] != '"')
            {
                return -1;
            }

            at += 2;
            while (at < line.Length && line[at] != '"')
            {
                at += line[at] == '\\' ? 2 : 1;
            }

            if (at >= line.Length)
            {
                return -1;
            }

            at++;
        }

        return -1;
    }

    private static bool IsNumber(string text) =>
        text is "NaN" or "+Inf" or "-Inf" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static bool IsMetricName(string name) => name.Length > 0 && name.Select((c, i) => IsNameChar(c, i == 0)).All(ok => ok);

    private static bool IsNameChar(char c, bool first) => char.IsAsciiLetter(c) || c is '_' or ':' || (!first && char.IsAsciiDigit(c));

    private static string Shorten(string text) => new([.. (text.Length > 60 ? text[..60] + "…" : text).Select(c => char.IsControl(c) ? '?' : c)]);
}
