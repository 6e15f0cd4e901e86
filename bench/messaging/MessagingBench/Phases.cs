namespace Berth.Bench.Messaging;

/// <summary>The run's clock: a warm-up, then the measured period, on <see cref="TimeProvider"/> timestamps (monotonic).</summary>
internal sealed class Phases(TimeProvider time, TimeSpan warmup, TimeSpan duration)
{
    private readonly long _start = time.GetTimestamp();

    public TimeProvider Time => time;

    public TimeSpan Duration => duration;

    public long Now => time.GetTimestamp();

    /// <summary>When the measured period begins.</summary>
    public long MeasureStart => _start + Ticks(warmup);

    /// <summary>When the measured period ends and publishing stops.</summary>
    public long MeasureEnd => MeasureStart + Ticks(duration);

    public bool Measured(long timestamp) => timestamp >= MeasureStart && timestamp < MeasureEnd;

    /// <summary>How long until <paramref name="timestamp"/>, zero when it has passed.</summary>
    public TimeSpan Until(long timestamp) => timestamp <= Now ? TimeSpan.Zero : time.GetElapsedTime(Now, timestamp);

    public double Milliseconds(long from, long to) => time.GetElapsedTime(from, to).TotalMilliseconds;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
