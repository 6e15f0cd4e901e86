using Berth.Core.Agents;

namespace Berth.Client.Contracts;

/// <summary>One instance of an agent as the API shows it.</summary>
public sealed record InstanceView
{
    /// <summary>Berth's id for the instance.</summary>
    public required string Id { get; init; }

    /// <summary>Replica slot, 0-based.</summary>
    public required int Ordinal { get; init; }

    /// <summary>Spec generation it runs.</summary>
    public required long Generation { get; init; }

    /// <summary>Lifecycle state.</summary>
    public required InstanceState State { get; init; }

    /// <summary>Times the reconciler restarted it.</summary>
    public required int RestartCount { get; init; }

    /// <summary>Exit code of its last exit.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why it is in its state.</summary>
    public string? Message { get; init; }

    /// <summary>When it last started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the next restart is due, while restarting (UTC).</summary>
    public DateTimeOffset? NextRestartAt { get; init; }
}
