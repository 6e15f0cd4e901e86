using Berth.Core.Runtime;
using Berth.Runtime.Process.Logs;
using Berth.Runtime.Process.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>
/// The log stamper on a fake clock: a log that is being written is stamped on every tick, a quiet one is looked at less
/// often (so a line after a quiet spell is stamped late, but never later than <see cref="LogStamper.QuietInterval"/>).
/// </summary>
public sealed class LogStamperTests : IDisposable
{
    private const string InstanceId = "agent-0";

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), $"berth-stamper-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new();
    private readonly InstanceLogs _logs;
    private readonly LogStamper _stamper;

    public LogStamperTests()
    {
        var folder = ProcessInstanceFolder.For(_stateDirectory, InstanceId);
        folder.Create();
        _logs = new InstanceLogs(folder);
        _logs.Create();
        _stamper = new LogStamper(_clock, maxBytes: 1024 * 1024, maxFiles: 2, NullLogger.Instance);
        _stamper.WatchNewRun(InstanceId, _logs);
    }

    [Fact]
    public void Tick_GrowingLog_StampsEachLineOnTheNextTick()
    {
        for (var i = 0; i < 5; i++)
        {
            var (offset, written) = Append($"busy {i}");

            _clock.Advance(LogStamper.Interval);

            _logs.Stdout.TimeOf(offset).ShouldBe(written + LogStamper.Interval, $"line {i} of a log being written is stamped by the next tick");
        }
    }

    [Fact]
    public void Tick_LineAfterQuietSpell_StampedLaterThanOneTickButWithinTheQuietInterval()
    {
        Append("first");
        StayQuiet(TimeSpan.FromSeconds(10));

        var (offset, written) = Append("after ten quiet seconds");
        var stamped = TickUntilStamped(offset);

        (stamped - written).ShouldBeGreaterThan(LogStamper.Interval, "a quiet log is not looked at on every tick");
        (stamped - written).ShouldBeLessThanOrEqualTo(LogStamper.QuietInterval, "the back-off stops at the quiet interval");
    }

    [Fact]
    public void Tick_QuietLogGrowsAgain_BackToEveryTickAtOnce()
    {
        Append("first");
        StayQuiet(TimeSpan.FromSeconds(10));
        TickUntilStamped(Append("wakes up").Offset);

        var (offset, written) = Append("right after");
        _clock.Advance(LogStamper.Interval);

        _logs.Stdout.TimeOf(offset).ShouldBe(written + LogStamper.Interval, "growth seen on a look makes the next tick look again");
    }

    [Fact]
    public void WatchNewRun_AfterQuietSpell_FirstLineOfTheNewRunStampedOnTheNextTick()
    {
        Append("old run");
        StayQuiet(TimeSpan.FromSeconds(10));

        _stamper.WatchNewRun(InstanceId, _logs);
        var (offset, written) = Append("new run");
        _clock.Advance(LogStamper.Interval);

        _logs.Stdout.TimeOf(offset).ShouldBe(written + LogStamper.Interval);
    }

    [Fact]
    public void Tick_Unwatched_NothingStamped()
    {
        _stamper.Unwatch(InstanceId).ShouldBeTrue();
        var (offset, _) = Append("nobody looks");

        _clock.Advance(LogStamper.QuietInterval * 2);

        _logs.Stdout.TimeOf(offset).ShouldBeNull();
    }

    public void Dispose()
    {
        _stamper.Dispose();
        Directory.Delete(_stateDirectory, recursive: true);
    }

    /// <summary>Appends a line to stdout; returns where it starts and when it was written.</summary>
    private (long Offset, DateTimeOffset Written) Append(string line)
    {
        var offset = new FileInfo(_logs.Stdout.Path).Length;
        File.AppendAllText(_logs.Stdout.Path, line + "\n");
        return (offset, _clock.GetUtcNow());
    }

    /// <summary>Lets <paramref name="duration"/> pass one tick at a time, writing nothing.</summary>
    private void StayQuiet(TimeSpan duration)
    {
        for (var passed = TimeSpan.Zero; passed < duration; passed += LogStamper.Interval)
        {
            _clock.Advance(LogStamper.Interval);
        }
    }

    private DateTimeOffset TickUntilStamped(long offset)
    {
        for (var tick = 0; tick < 4 * QuietLogBackoff.MaxTicksBetweenLooks; tick++)
        {
            _clock.Advance(LogStamper.Interval);
            if (_logs.Stdout.TimeOf(offset) is { } stamped)
            {
                return stamped;
            }
        }

        throw new ShouldAssertException($"the line at {offset} was never stamped");
    }
}
