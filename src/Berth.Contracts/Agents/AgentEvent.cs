namespace Berth.Core.Agents;

/// <summary>Something that happened to an agent, for <c>berth describe</c> and the events API.</summary>
public sealed record AgentEvent
{
    /// <summary>Store-assigned, increasing id; 0 before it is stored.</summary>
    public long Id { get; init; }

    /// <summary>When it happened (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The agent concerned.</summary>
    public required string AgentName { get; init; }

    /// <summary>The instance concerned, if any.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Short PascalCase reason: <c>Applied</c>, <c>Started</c>, <c>Healthy</c>, <c>Unhealthy</c>, <c>Exited</c>, <c>Restarting</c>, <c>Stopped</c>, <c>Removed</c>, <c>Failed</c>, <c>Adopted</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Human-readable detail.</summary>
    public required string Message { get; init; }

    /// <summary>True for events an operator should look at (failures, unhealthy).</summary>
    public bool Warning { get; init; }
}
