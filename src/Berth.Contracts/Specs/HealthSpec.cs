using Berth.Core.Specs.Binding;

namespace Berth.Core.Specs;

/// <summary>Health probing of each instance.</summary>
public sealed record HealthSpec
{
    /// <summary>The timeout used when none is given and the interval is at least as long: 2s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    // Null until set, so the default can follow the interval: a default must never fail validation.
    private TimeSpan? _timeout;

    /// <summary>HTTP path probed with GET; a 2xx or 3xx answer is healthy. Null: a TCP connect to the port is the probe.</summary>
    public string? Path { get; set; }

    /// <summary>Time between probes. Default 10s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time one probe may take. Default 2s, or the interval when that is shorter.</summary>
    public TimeSpan Timeout
    {
        get => _timeout ?? DefaultTimeoutFor(Interval);
        set => _timeout = value;
    }

    /// <summary>Consecutive failed probes before a healthy instance is marked unhealthy. Default 3.</summary>
    [Expected("a whole number of at least 1")]
    public int Retries { get; set; } = 3;

    /// <summary>Grace period after start during which failed probes do not count. Default 0s.</summary>
    public TimeSpan StartPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>The timeout an unset <see cref="Timeout"/> takes for <paramref name="interval"/>: 2s, or the interval when that is shorter (and positive).</summary>
    public static TimeSpan DefaultTimeoutFor(TimeSpan interval) =>
        interval > TimeSpan.Zero && interval < DefaultTimeout ? interval : DefaultTimeout;

    /// <summary>Equal when every effective value is equal, whether a timeout was written or defaulted.</summary>
    public bool Equals(HealthSpec? other) =>
        other is not null && Path == other.Path && Interval == other.Interval && Timeout == other.Timeout
        && Retries == other.Retries && StartPeriod == other.StartPeriod;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Path, Interval, Timeout, Retries, StartPeriod);
}
