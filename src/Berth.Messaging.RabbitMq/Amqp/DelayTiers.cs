namespace Berth.Messaging.RabbitMq.Amqp;

/// <summary>
/// The waits a delay queue can have. A delay queue holds one wait for all its messages (queue-level <c>x-message-ttl</c>), so
/// they leave in the order they came: per-message TTL would let a long wait at the head hold back every shorter one behind it
/// (RabbitMQ only expires messages at the head). One queue per distinct wait would let a client that nacks with arbitrary
/// delays create queues without bound, so a wait is rounded up to the next tier: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
/// power of ten milliseconds, from 100 ms to 1 h — a message waits at most a third longer than asked, never less, and a
/// subscription has at most ~45 delay queues.
/// </summary>
internal static class DelayTiers
{
    /// <summary>The shortest wait a delay queue has: 100 ms (shorter waits are rounded up to it).</summary>
    public const long MinMs = 100;

    /// <summary>The longest wait: 1 hour, the longest redelivery delay a subscription may have.</summary>
    public const long MaxMs = 3_600_000;

    private static readonly int[] Steps = [10, 12, 15, 20, 25, 30, 40, 50, 60, 80];

    /// <summary>The tier a wait of <paramref name="delay"/> goes to, in milliseconds; 0 when it need not wait at all.</summary>
    public static long For(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return 0;
        }

        var ms = (long)Math.Ceiling(delay.TotalMilliseconds);
        if (ms >= MaxMs)
        {
            return MaxMs;
        }

        for (long decade = MinMs / 10; ; decade *= 10)
        {
            foreach (var step in Steps)
            {
                var tier = step * decade;
                if (tier >= ms && tier >= MinMs)
                {
                    return Math.Min(tier, MaxMs);
                }
            }
        }
    }
}
