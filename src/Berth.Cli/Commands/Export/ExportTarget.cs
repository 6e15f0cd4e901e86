namespace Berth.Cli.Commands.Export;

/// <summary>One resource named on <c>berth export</c>'s command line: <c>NAME</c> (an agent) or <c>KIND/NAME</c>.</summary>
internal sealed record ExportTarget(string Kind, string Name)
{
    public const string Agent = "agent";
    public const string Workflow = "workflow";
    public const string Topic = "topic";
    public const string Subscription = "subscription";
    public const string ModelEndpoint = "modelendpoint";

    /// <summary>The kinds <c>berth apply</c> takes back, in the order it applies them.</summary>
    public static readonly string[] Kinds = [ModelEndpoint, Topic, Agent, Subscription, Workflow];

    /// <summary>Reads <c>NAME</c> or <c>KIND/NAME</c> (the form <c>berth apply</c> prints); a usage error names what is wrong.</summary>
    public static ExportTarget Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return text.Length > 0 ? new ExportTarget(Agent, text) : throw Usage(text);
        }

        var kind = text[..slash].ToLowerInvariant();
        var name = text[(slash + 1)..];
        kind = kind.EndsWith('s') && Kinds.Contains(kind[..^1]) ? kind[..^1] : kind;
        if (!Kinds.Contains(kind))
        {
            throw new CliException($"'{text}': unknown kind '{text[..slash]}'; export {string.Join(", ", Kinds.Select(k => k + "/NAME"))} or an agent's NAME", ExitCodes.Usage);
        }

        return name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) ? new ExportTarget(kind, name) : throw Usage(text);
    }

    public override string ToString() => $"{Kind}/{Name}";

    private static CliException Usage(string text) =>
        new($"'{text}' is not a resource to export; write an agent's NAME or KIND/NAME (agent/web, workflow/nightly, topic/orders, subscription/billing, modelendpoint/openai)", ExitCodes.Usage);
}
