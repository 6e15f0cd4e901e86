namespace Berth.Core.Llm;

/// <summary>Which recorded LLM calls a usage summary covers and how it groups them.</summary>
public sealed record UsageQuery
{
    /// <summary>Calls started at or after this time.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>How to group them. Default by agent.</summary>
    public UsageGrouping By { get; init; } = UsageGrouping.Agent;

    /// <summary>Only this agent's calls; null for every caller.</summary>
    public string? Agent { get; init; }

    /// <summary>Only calls of this run; null for every call.</summary>
    public string? RunId { get; init; }

    /// <summary>Only calls made for runs of this workflow; null for every call.</summary>
    public string? Workflow { get; init; }
}
