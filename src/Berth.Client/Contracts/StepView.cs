using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Client.Contracts;

/// <summary>One step of a run: where it is, how it went, and what it produced.</summary>
public sealed record StepView
{
    /// <summary>The step's id.</summary>
    public required string Id { get; init; }

    /// <summary>Its kind.</summary>
    public required StepKind Kind { get; init; }

    /// <summary>The steps it waits for (its <c>dependsOn</c> and the steps its expressions name), for drawing the DAG.</summary>
    public required IReadOnlyList<string> Needs { get; init; }

    /// <summary>Its state; <see cref="StepState.Cached"/> when its outputs came from the cache.</summary>
    public required StepState State { get; init; }

    /// <summary>Attempts started so far.</summary>
    public int Attempt { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the next attempt starts, while retrying.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Its outputs, once succeeded or cached.</summary>
    public StepOutputs? Outputs { get; init; }

    /// <summary>Why it failed (class, message, exit code, log tail) or why it was skipped.</summary>
    public StepFailure? Failure { get; init; }

    /// <summary>Its cache key, when caching applies.</summary>
    public string? CacheKey { get; init; }
}
