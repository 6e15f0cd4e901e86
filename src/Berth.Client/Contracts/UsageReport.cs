using Berth.Core.Llm;

namespace Berth.Client.Contracts;

/// <summary>What LLM calls through the gateway used and cost (<c>GET /api/v1/usage</c>), grouped.</summary>
public sealed record UsageReport
{
    /// <summary>The calls counted started at or after this time (UTC).</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>How the calls are grouped.</summary>
    public required UsageGrouping By { get; init; }

    /// <summary>The agent whose calls alone are counted; null for every caller.</summary>
    public string? Agent { get; init; }

    /// <summary>The run whose calls alone are counted; null for every call.</summary>
    public string? Run { get; init; }

    /// <summary>The workflow whose runs' calls alone are counted; null for every call.</summary>
    public string? Workflow { get; init; }

    /// <summary>One group per key, ordered by key.</summary>
    public IReadOnlyList<UsageGroup> Groups { get; init; } = [];

    /// <summary>Every group together (its key null).</summary>
    public required UsageGroup Total { get; init; }
}
