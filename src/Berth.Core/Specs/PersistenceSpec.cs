namespace Berth.Core.Specs;

/// <summary>How the proxy keeps an agent's requests: stored before forwarding, retried, replayed after a recovery.</summary>
public sealed record PersistenceSpec
{
    /// <summary>Whether every proxied request is stored before it is forwarded. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Deliveries of one request, from 1 to 100, before it is dead-lettered. Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay before the second attempt; it doubles with each further attempt, with jitter. More than zero. Default 1s.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts; at least <see cref="Backoff"/>. Default 1m.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Time one attempt may take until the response headers arrive; more than zero, at most 1h. Default 60s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long completed requests are kept before they are purged; more than zero. Default 7d.</summary>
    public TimeSpan RetentionPeriod { get; init; } = TimeSpan.FromDays(7);
}
