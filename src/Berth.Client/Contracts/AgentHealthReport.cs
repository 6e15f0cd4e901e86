namespace Berth.Client.Contracts;

/// <summary>What probing an agent's instances just now found (<c>GET /api/v1/agents/{name}/health</c>).</summary>
public sealed record AgentHealthReport
{
    /// <summary>The agent's name.</summary>
    public required string Agent { get; init; }

    /// <summary>True when the agent has at least one instance and every instance answered its probe as healthy.</summary>
    public required bool Healthy { get; init; }

    /// <summary>The probe the spec configures: <c>GET /health</c>, or <c>tcp connect</c> when the spec sets no path.</summary>
    public required string Probe { get; init; }

    /// <summary>When the probes ran (UTC).</summary>
    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>One result per instance, by ordinal; empty when the agent has no instance (stopped, or not started yet).</summary>
    public required IReadOnlyList<InstanceHealth> Instances { get; init; }
}
