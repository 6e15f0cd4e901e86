using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Process.Logs;

/// <summary>
/// Stamps the logs of running instances with the time their lines were first seen, and rotates them when due, on one
/// timer for all instances. A log that is being written is looked at every <see cref="Interval"/>; a quiet one less and
/// less often, down to every <see cref="QuietInterval"/> (see <see cref="QuietLogBackoff"/>), so hundreds of idle agents
/// cost a few file-size checks a second rather than thousands.
/// </summary>
/// <remarks>
/// The price is precision: a line written while its log is busy is stamped at most <see cref="Interval"/> late, the first
/// line after a quiet spell at most <see cref="QuietInterval"/> late. A reader does not wait for the stamper: reading a
/// log stamps what is new at once (<see cref="LogReader"/>), so a followed log is as precise as the follow interval.
/// Rotation is checked on the same looks, so a quiet log that suddenly grows may pass its size limit by what it wrote in
/// <see cref="QuietInterval"/>.
/// </remarks>
internal sealed class LogStamper : IDisposable
{
    /// <summary>How often the timer ticks, and the most a line of a busy log is stamped late.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The most a line written after a quiet spell is stamped late.</summary>
    public static readonly TimeSpan QuietInterval = Interval * QuietLogBackoff.MaxTicksBetweenLooks;

    private readonly ConcurrentDictionary<string, Watched> _watched = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly long _maxBytes;
    private readonly int _maxFiles;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private int _stamping;

    public LogStamper(TimeProvider timeProvider, long maxBytes, int maxFiles, ILogger logger)
    {
        _timeProvider = timeProvider;
        _maxBytes = maxBytes;
        _maxFiles = maxFiles;
        _logger = logger;
        _timer = timeProvider.CreateTimer(_ => Tick(), null, Interval, Interval);
    }

    /// <summary>Starts stamping the instance's logs, looked at on the next tick; true when it was not watched yet.</summary>
    /// <remarks>Called on every reconciler pass for adopted instances, so a watched one costs a lookup and no allocation.</remarks>
    public bool Watch(string instanceId, InstanceLogs logs) => !_watched.ContainsKey(instanceId) && _watched.TryAdd(instanceId, new Watched(logs));

    /// <summary>Watches the logs of a run that has just started, looked at on every tick until they stay quiet.</summary>
    public void WatchNewRun(string instanceId, InstanceLogs logs) => _watched[instanceId] = new Watched(logs);

    /// <summary>Stops stamping the instance's logs; true when it was watched.</summary>
    public bool Unwatch(string instanceId) => _watched.TryRemove(instanceId, out _);

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        if (Interlocked.Exchange(ref _stamping, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var (instanceId, watched) in _watched)
            {
                try
                {
                    Look(watched.Logs.Stdout, watched.Stdout, now);
                    Look(watched.Logs.Stderr, watched.Stderr, now);
                }
                catch (DirectoryNotFoundException)
                {
                    // Removed while we looked: nothing left to stamp, and the removal unwatches it.
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    ProcessRuntimeLog.LogIndexFailed(_logger, instanceId, e);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _stamping, 0);
        }
    }

    private void Look(RotatingLogFile log, QuietLogBackoff backoff, DateTimeOffset now)
    {
        if (backoff.IsDue())
        {
            backoff.Looked(log.Maintain(now, _maxBytes, _maxFiles));
        }
    }

    /// <summary>A watched instance; its back-offs are touched by the ticks alone, which never overlap.</summary>
    private sealed class Watched(InstanceLogs logs)
    {
        public InstanceLogs Logs { get; } = logs;

        public QuietLogBackoff Stdout { get; } = new();

        public QuietLogBackoff Stderr { get; } = new();
    }
}
