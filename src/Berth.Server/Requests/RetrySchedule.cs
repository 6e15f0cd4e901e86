using Berth.Core.Specs;

namespace Berth.Server.Requests;

/// <summary>
/// When a failed request is tried again: <c>backoff × 2^(attempt-1)</c>, capped at <c>maxBackoff</c>, with "equal jitter"
/// (half fixed, half random) so requests that failed together do not all come back together.
/// </summary>
internal static class RetrySchedule
{
    public static TimeSpan DelayAfter(int attempts, PersistenceSpec persistence, Random random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(persistence.Backoff.TotalMilliseconds * Math.Pow(2, exponent), persistence.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }
}
