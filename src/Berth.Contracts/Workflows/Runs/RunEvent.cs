namespace Berth.Core.Workflows.Runs;

/// <summary>One entry of a run's progress stream (step queued/started/retrying/cached/succeeded/failed/skipped, log lines, run changes).</summary>
public sealed record RunEvent
{
    /// <summary>Position in the run's stream, from 1; clients resume after the last one they saw.</summary>
    public long Sequence { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>
    /// What happened: <c>run.started</c>, <c>run.succeeded</c>, <c>run.failed</c>, <c>run.cancelled</c>, <c>step.queued</c>,
    /// <c>step.started</c>, <c>step.retrying</c>, <c>step.cached</c>, <c>step.succeeded</c>, <c>step.failed</c>, <c>step.skipped</c>, <c>step.log</c>.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>The step, for step events.</summary>
    public string? StepId { get; init; }

    /// <summary>The attempt, for step events.</summary>
    public int? Attempt { get; init; }

    /// <summary>A human-readable line (the log line for <c>step.log</c>).</summary>
    public string? Message { get; init; }
}
