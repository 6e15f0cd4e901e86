namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Run state of a container.</summary>
public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public string Status { get; init; } = "";

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    public bool OOMKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string Error { get; init; } = "";

    /// <summary>RFC 3339 time; <c>0001-01-01T00:00:00Z</c> when never started.</summary>
    public string StartedAt { get; init; } = "";

    /// <summary>RFC 3339 time; <c>0001-01-01T00:00:00Z</c> when never finished.</summary>
    public string FinishedAt { get; init; } = "";
}
