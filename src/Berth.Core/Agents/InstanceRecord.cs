namespace Berth.Core.Agents;

/// <summary>The observed state of one instance, as the reconciler last recorded it.</summary>
public sealed record InstanceRecord
{
    /// <summary>Berth's id for the instance.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The agent it belongs to.</summary>
    public required string AgentName { get; init; }

    /// <summary>Replica slot, 0-based.</summary>
    public required int Ordinal { get; init; }

    /// <summary>Spec generation it runs.</summary>
    public required long Generation { get; init; }

    /// <summary>Lifecycle state.</summary>
    public required InstanceState State { get; init; }

    /// <summary>Where the agent answers on this host. Null while not running.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>How often the reconciler restarted it after an exit.</summary>
    public int RestartCount { get; init; }

    /// <summary>Exit code of the last exit.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why it is in its state (last probe error, exit reason).</summary>
    public string? Message { get; init; }

    /// <summary>When it last started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the next restart attempt is due while <see cref="InstanceState.Restarting"/>.</summary>
    public DateTimeOffset? NextRestartAt { get; init; }

    /// <summary>When this record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
