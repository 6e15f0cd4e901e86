namespace Berth.Core.Specs;

/// <summary>Health probing of each instance.</summary>
public sealed record HealthSpec
{
    /// <summary>HTTP path probed with GET; a 2xx or 3xx answer is healthy. Null: a TCP connect to the port is the probe.</summary>
    public string? Path { get; init; }

    /// <summary>Time between probes. Default 10s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time one probe may take. Default 2s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed probes before a healthy instance is marked unhealthy. Default 3.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Grace period after start during which failed probes do not count. Default 0s.</summary>
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;
}
