namespace Berth.Core.Workflows;

/// <summary>How a step's failed attempts are retried.</summary>
public sealed record StepRetrySpec
{
    /// <summary>Attempts in all, 1 to 100. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How the delay grows. Default exponential.</summary>
    public BackoffKind Backoff { get; init; } = BackoffKind.Exponential;

    /// <summary>Delay before the second attempt. Default 1s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay; at least <see cref="InitialDelay"/>. Default 30s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether delays are randomized. Default true.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>Error classes that are retried. Default transient and timeout.</summary>
    public IReadOnlyList<ErrorClass> On { get; init; } = [ErrorClass.Transient, ErrorClass.Timeout];
}
