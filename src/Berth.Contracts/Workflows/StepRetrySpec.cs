using Berth.Core.Specs.Binding;

namespace Berth.Core.Workflows;

/// <summary>How a step's failed attempts are retried.</summary>
public sealed record StepRetrySpec
{
    /// <summary>The longest delay when none is given and the initial delay is no longer: 30s.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    // Null until set, so the default can follow the initial delay: a default must never fail validation.
    private TimeSpan? _maxDelay;

    /// <summary>Attempts in all, 1 to 100. Default 3.</summary>
    [Expected("a number of attempts from 1 to 100")]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How the delay grows. Default exponential.</summary>
    public BackoffKind Backoff { get; set; } = BackoffKind.Exponential;

    /// <summary>Delay before the second attempt. Default 1s.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay; at least <see cref="InitialDelay"/>. Default 30s, or the initial delay when that is longer.</summary>
    public TimeSpan MaxDelay
    {
        get => _maxDelay ?? (InitialDelay > DefaultMaxDelay ? InitialDelay : DefaultMaxDelay);
        set => _maxDelay = value;
    }

    /// <summary>Whether delays are randomized. Default true.</summary>
    public bool Jitter { get; set; } = true;

    /// <summary>Error classes that are retried. Default transient and timeout.</summary>
    public IReadOnlyList<ErrorClass> On { get; set; } = [ErrorClass.Transient, ErrorClass.Timeout];
}
