namespace Berth.Core.Runtime;

/// <summary>One instance as a driver observes it.</summary>
public sealed record RuntimeInstance
{
    /// <summary>Berth's id for the instance.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The agent it belongs to.</summary>
    public required string AgentName { get; init; }

    /// <summary>Replica slot, 0-based.</summary>
    public required int Ordinal { get; init; }

    /// <summary>Spec generation it was started with.</summary>
    public required long Generation { get; init; }

    /// <summary>Whether it runs.</summary>
    public required RuntimeStatus Status { get; init; }

    /// <summary>Where the agent's port answers on this host (<c>http://127.0.0.1:49160/</c>). Null until known.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Exit code once exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>True when the kernel killed it for exceeding its memory limit.</summary>
    public bool OomKilled { get; init; }

    /// <summary>When it last started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it last exited.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The driver's own handle (container id, process id), for operators.</summary>
    public string? NativeId { get; init; }
}
