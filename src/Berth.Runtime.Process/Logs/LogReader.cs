using System.Runtime.CompilerServices;
using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Logs;

/// <summary>Reads an instance's two logs as one time-ordered sequence, optionally following new lines.</summary>
/// <remarks>
/// A tail is found by reading each log back from its end, at most <see cref="LogQuery.MaxTailBytes"/>, so asking for the
/// last lines of a huge log costs what those lines cost; without a tail the lines are streamed from the oldest one kept.
/// </remarks>
internal sealed class LogReader(TimeProvider timeProvider)
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);

    public async IAsyncEnumerable<LogEntry> ReadAsync(
        InstanceLogs logs,
        Func<bool> isRunning,
        LogQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!logs.Directory.Exists)
        {
            yield break;
        }

        var directory = logs.Directory;
        var tail = query.Tail is { } asked ? Math.Clamp(asked, 0, LogQuery.MaxTail) : (int?)null;
        logs.CatchUp(timeProvider.GetUtcNow());
        var stdout = new LogFileCursor(directory.InstanceId, LogSource.Stdout, logs.Stdout, StartOf(logs.Stdout, tail));
        var stderr = new LogFileCursor(directory.InstanceId, LogSource.Stderr, logs.Stderr, StartOf(logs.Stderr, tail));

        var first = ReadBatch(logs, stdout, stderr, isRunning, query.Since);
        if (tail is { } count)
        {
            first = LogTail.Last(first, count, LogQuery.MaxTailBytes);
        }

        foreach (var entry in first)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        if (!query.Follow)
        {
            yield break;
        }

        while (true)
        {
            await Task.Delay(FollowInterval, timeProvider, cancellationToken);
            if (!directory.Exists)
            {
                yield break;
            }

            foreach (var entry in ReadBatch(logs, stdout, stderr, isRunning, query.Since))
            {
                yield return entry;
            }
        }
    }

    private static long StartOf(RotatingLogFile log, int? tail) =>
        tail is { } lines ? log.TailStart(lines, LogQuery.MaxTailBytes) : log.Start;

    private IEnumerable<LogEntry> ReadBatch(InstanceLogs logs, LogFileCursor stdout, LogFileCursor stderr, Func<bool> isRunning, DateTimeOffset? since)
    {
        // Decide "finished" before reading: a line completed after this check waits for the next batch.
        var finished = !isRunning();
        var now = timeProvider.GetUtcNow();
        logs.CatchUp(now);
        var merged = Merge(stdout.ReadNew(finished, now), stderr.ReadNew(finished, now));
        return since is { } from ? merged.Where(e => e.Time >= from) : merged;
    }

    /// <summary>Each log is already in time order, so a two-way merge orders both; ties keep stdout first.</summary>
    private static IEnumerable<LogEntry> Merge(IEnumerable<LogEntry> first, IEnumerable<LogEntry> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        var hasA = a.MoveNext();
        var hasB = b.MoveNext();
        while (hasA || hasB)
        {
            if (hasA && (!hasB || a.Current.Time <= b.Current.Time))
            {
                yield return a.Current;
                hasA = a.MoveNext();
            }
            else
            {
                yield return b.Current;
                hasB = b.MoveNext();
            }
        }
    }
}
