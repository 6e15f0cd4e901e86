namespace Berth.Server.Mcp.Resources;

/// <summary>What a <c>berth://</c> resource URI names.</summary>
internal enum BerthResourceKind
{
    Agent,
    AgentLogs,
    Workflow,
    Run,
}

/// <summary>
/// A parsed <c>berth://</c> resource URI: <c>berth://agents/{name}</c>, <c>berth://agents/{name}/logs</c>,
/// <c>berth://workflows/{name}</c> or <c>berth://runs/{id}</c>. Parsing is strict and bounded (the URI comes from the
/// client): one segment per name, letters, digits, <c>-</c>, <c>_</c> and <c>.</c> only, so a name can never reach a path or a
/// query it was not meant to.
/// </summary>
internal readonly record struct BerthResourceUri(BerthResourceKind Kind, string Name)
{
    public const string Scheme = "berth://";
    public const int MaxLength = 300;
    private const int MaxNameLength = 128;

    public string Uri => Kind switch
    {
        BerthResourceKind.Agent => Agent(Name),
        BerthResourceKind.AgentLogs => AgentLogs(Name),
        BerthResourceKind.Workflow => Workflow(Name),
        _ => Run(Name),
    };

    public static string Agent(string name) => $"{Scheme}agents/{name}";

    public static string AgentLogs(string name) => $"{Scheme}agents/{name}/logs";

    public static string Workflow(string name) => $"{Scheme}workflows/{name}";

    public static string Run(string id) => $"{Scheme}runs/{id}";

    public static bool TryParse(string? uri, out BerthResourceUri parsed)
    {
        parsed = default;
        if (uri is null || uri.Length > MaxLength || !uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = uri[Scheme.Length..].Split('/');
        BerthResourceKind? kind = parts switch
        {
            ["agents", _] => BerthResourceKind.Agent,
            ["agents", _, "logs"] => BerthResourceKind.AgentLogs,
            ["workflows", _] => BerthResourceKind.Workflow,
            ["runs", _] => BerthResourceKind.Run,
            _ => null,
        };
        if (kind is null || !IsName(parts[1]))
        {
            return false;
        }

        parsed = new BerthResourceUri(kind.Value, parts[1]);
        return true;
    }

    private static bool IsName(string text) =>
        text.Length is > 0 and <= MaxNameLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && text is not "." and not "..";
}
