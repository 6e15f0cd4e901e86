using System.Globalization;

namespace Berth.Server.Tests.Hostile;

/// <summary>An HTTP/1.1 answer as read off the wire: status, head and body (chunk framing left in).</summary>
internal sealed record RawResponse(int Status, string Head, string Body)
{
    /// <summary>How many responses the connection carried (more than one means the server saw more than one request).</summary>
    public int Count { get; init; }

    public static RawResponse Parse(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var parts = head.Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
        var count = text.Split("HTTP/1.1 ", StringSplitOptions.None).Length - 1;
        return new RawResponse(status, head, body) { Count = count };
    }

    /// <summary>Asserts the body has <paramref name="line"/> as a whole line (what the agent's CGI printed).</summary>
    public void ShouldHaveLine(string line) =>
        Body.Split('\n').Select(l => l.TrimEnd('\r')).ShouldContain(line, $"no line '{line}' in:\n{this}");

    public override string ToString() => $"{Status}\n{Head}\n\n{(Body.Length > 2000 ? Body[..2000] + "…" : Body)}";
}
