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

        if (HttpPathProblem(mcp.Path, "/mcp", MaximumMcpPathLength) is { } problem)
        {
            errors.Add(new SpecError(at["mcp.path"], problem));
        }
    }

    /// <summary>What is wrong with a path on the agent that Berth joins to an instance's address, or null when nothing is.</summary>
    private static string? HttpPathProblem(string? value, string example, int maximumLength)
    {
        var expected = $"expected an HTTP path on the agent like {example}: '/' then letters, digits, '-', '_', '.', '~' and '/', no '.' or '..' segment";
        var path = value ?? "";
        return path switch
        {
            "" => $"required; {expected}",
            { Length: var length } when length > maximumLength => $"is {path.Length} characters long; expected at most {maximumLength}",
            _ when !path.StartsWith('/') => $"'{Printable(path)}' does not start with '/'; {expected}",
            _ when path.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/')) =>
                $"'{Printable(path)}' holds a character other than letters, digits, '-', '_', '.', '~' and '/' (a query, a space or a control character); {expected}",
            _ when HasBadSegment(path) => $"'{path}' holds an empty, '.' or '..' segment; {expected}",
            _ => null,
        };
    }

    // "/" and one trailing '/' are fine; "//x", "/a//b", "/./" and "/a/.." are not.
    private static bool HasBadSegment(string path) =>
        path.Length > 1 &&
        (path.Length - path.TrimEnd('/').Length > 1 || path[1..].TrimEnd('/').Split('/').Any(s => s is "" or "." or ".."));

    private static string Printable(string text) =>
        new((text.Length > 64 ? text[..64] : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
