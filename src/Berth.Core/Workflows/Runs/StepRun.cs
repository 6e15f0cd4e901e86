namespace Berth.Core.Workflows.Runs;

/// <summary>One step of one run, as stored after each transition.</summary>
public sealed record StepRun
{
    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The step's id.</summary>
    public required string StepId { get; init; }

    /// <summary>The step's state.</summary>
    public required StepState State { get; init; }

    /// <summary>Attempts started so far (0 until the first starts).</summary>
    public int Attempt { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the step reached its final state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the next attempt may start (state <see cref="StepState.Retrying"/>).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Outputs of a succeeded or cached step.</summary>
    public StepOutputs? Outputs { get; init; }

    /// <summary>Why the last attempt failed, or why the step was skipped.</summary>
    public StepFailure? Failure { get; init; }

    /// <summary>The cache key the step was looked up and stored under; null when caching is off.</summary>
    public string? CacheKey { get; init; }

    /// <summary>The container of the running attempt, so a restarted server can re-attach to it or remove it.</summary>
    public string? ContainerId { get; init; }
}
