namespace Berth.Runtime.Docker.Engine.Models.Swarm;

/// <summary>One task of a service, as <c>GET /tasks</c> reports it.</summary>
public sealed record SwarmTask
{
    public string Id { get; init; } = "";

    public string ServiceId { get; init; } = "";

    public string NodeId { get; init; } = "";

    public ObjectVersion Version { get; init; } = new();

    public string CreatedAt { get; init; } = "";

    /// <summary>What Swarm wants: <c>running</c>, <c>shutdown</c>, …</summary>
    public string DesiredState { get; init; } = "";

    public TaskStatus Status { get; init; } = new();
}

/// <summary>Where a task is in its life.</summary>
public sealed record TaskStatus
{
    public string Timestamp { get; init; } = "";

    /// <summary><c>new</c> … <c>starting</c>, <c>running</c>, <c>complete</c>, <c>failed</c>, <c>shutdown</c>, <c>rejected</c>, <c>orphaned</c>, <c>remove</c>.</summary>
    public string State { get; init; } = "";

    public string? Err { get; init; }

    public TaskContainerStatus? ContainerStatus { get; init; }
}

/// <summary>The container a task ran.</summary>
public sealed record TaskContainerStatus
{
    public string? ContainerId { get; init; }

    public int? ExitCode { get; init; }
}
