namespace Berth.Client.Contracts;

/// <summary>Why a step of a run hit or missed the cache (<c>berth runs explain RUN STEP</c>).</summary>
public sealed record CacheExplanation
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The step.</summary>
    public required string StepId { get; init; }

    /// <summary>Whether the step's outputs came from the cache.</summary>
    public required bool Hit { get; init; }

    /// <summary>The step's cache key; null when caching does not apply to it (then <see cref="Message"/> says why).</summary>
    public string? Key { get; init; }

    /// <summary>On a miss, when the closest earlier entry of the same workflow step was stored; null when there was none.</summary>
    public DateTimeOffset? ClosestCreatedAt { get; init; }

    /// <summary>On a miss, each part that differs from the closest earlier entry: <c>file:/in/a.txt changed</c>, <c>env.MODE added</c>.</summary>
    public IReadOnlyList<string> Differences { get; init; } = [];

    /// <summary>One sentence for people: what happened and why.</summary>
    public required string Message { get; init; }
}
