using Berth.Core.Specs.Binding;

namespace Berth.Core.Specs;

/// <summary>How the proxy keeps an agent's requests: stored before forwarding, retried, replayed after a recovery.</summary>
public sealed record PersistenceSpec
{
    /// <summary>The longest delay between attempts when none is given and the backoff is no longer: 1m.</summary>
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromMinutes(1);

    // Null until set, so the default can follow the backoff: a default must never fail validation.
    private TimeSpan? _maxBackoff;

    /// <summary>Whether every proxied request is stored before it is forwarded. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Deliveries of one request, from 1 to 100, before it is dead-lettered. Default 5.</summary>
    [Expected("a whole number from 1 to 100")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the second attempt; it doubles with each further attempt, with jitter. More than zero. Default 1s.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts; at least <see cref="Backoff"/>. Default 1m, or the backoff when that is longer.</summary>
    public TimeSpan MaxBackoff
    {
        get => _maxBackoff ?? (Backoff > DefaultMaxBackoff ? Backoff : DefaultMaxBackoff);
        set => _maxBackoff = value;
    }

    /// <summary>Time one attempt may take until the response headers arrive; more than zero, at most 1h. Default 60s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long completed requests are kept before they are purged; more than zero. Default 7d.</summary>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Equal when every effective value is equal, whether a maximum backoff was written or defaulted.</summary>
    public bool Equals(PersistenceSpec? other) =>
        other is not null && Enabled == other.Enabled && MaxAttempts == other.MaxAttempts && Backoff == other.Backoff
        && MaxBackoff == other.MaxBackoff && RequestTimeout == other.RequestTimeout && RetentionPeriod == other.RetentionPeriod;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Enabled, MaxAttempts, Backoff, MaxBackoff, RequestTimeout, RetentionPeriod);
}
