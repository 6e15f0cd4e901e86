namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    /// <summary>Longest <c>mcp.path</c> accepted: 256 characters.</summary>
    public const int MaximumMcpPathLength = 256;

    // The gateway joins the path to the instance's own address, so it may only name a path there: no query, no dot
    // segments, no empty segment (//host), and only characters that need no escaping.
    private static void ValidateMcp(McpSpec? mcp, Paths at, List<SpecError> errors)
    {
        if (mcp is null)
        {
            return;
        }

        const string Expected = "expected an HTTP path on the agent like /mcp: '/' then letters, digits, '-', '_', '.', '~' and '/', no '.' or '..' segment";
        var path = mcp.Path ?? "";
        string? problem = path switch
        {
            "" => $"required; {Expected}",
            { Length: > MaximumMcpPathLength } => $"is {path.Length} characters long; expected at most {MaximumMcpPathLength}",
            _ when !path.StartsWith('/') => $"'{Printable(path)}' does not start with '/'; {Expected}",
            _ when path.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/')) =>
                $"'{Printable(path)}' holds a character other than letters, digits, '-', '_', '.', '~' and '/' (a query, a space or a control character); {Expected}",
            _ when HasBadSegment(path) => $"'{path}' holds an empty, '.' or '..' segment; {Expected}",
            _ => null,
        };
        if (problem is not null)
        {
            errors.Add(new SpecError(at["mcp.path"], problem));
        }
    }

    // "/" and one trailing '/' are fine; "//x", "/a//b", "/./" and "/a/.." are not.
    private static bool HasBadSegment(string path) =>
        path.Length > 1 &&
        (path.Length - path.TrimEnd('/').Length > 1 || path[1..].TrimEnd('/').Split('/').Any(s => s is "" or "." or ".."));

    private static string Printable(string text) =>
        new((text.Length > 64 ? text[..64] : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
