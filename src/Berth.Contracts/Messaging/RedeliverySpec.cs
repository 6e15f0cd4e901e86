using Berth.Core.Workflows;

namespace Berth.Core.Messaging;

/// <summary>How long a nacked or expired message waits before its next delivery.</summary>
public sealed record RedeliverySpec
{
    /// <summary>How the wait grows with each delivery. Default exponential.</summary>
    public BackoffKind Backoff { get; set; } = BackoffKind.Exponential;

    /// <summary>The wait before the second delivery. Default 1s.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait. Default 1m.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait after delivery number <paramref name="deliveries"/> (1 for the first) failed.</summary>
    public TimeSpan DelayAfter(int deliveries)
    {
        var n = Math.Max(1, deliveries);
        var ticks = Backoff switch
        {
            BackoffKind.Constant => InitialDelay.Ticks,
            BackoffKind.Linear => InitialDelay.Ticks * n,
            _ => InitialDelay.Ticks * Math.Pow(2, Math.Min(n - 1, 30)),
        };
        return TimeSpan.FromTicks((long)Math.Min(ticks, MaxDelay.Ticks));
    }
}
