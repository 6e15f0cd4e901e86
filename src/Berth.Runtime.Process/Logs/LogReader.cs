using System.Runtime.CompilerServices;
using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Logs;

/// <summary>Reads an instance's two log files as one time-ordered sequence, optionally following new lines.</summary>
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
        var stdout = new LogFileCursor(directory.InstanceId, LogSource.Stdout, directory.LogPath(LogSource.Stdout), logs.Stdout);
        var stderr = new LogFileCursor(directory.InstanceId, LogSource.Stderr, directory.LogPath(LogSource.Stderr), logs.Stderr);

        var first = ReadBatch(logs, stdout, stderr, isRunning, query.Since);
        if (query.Tail is { } tail)
        {
            first = TakeLast(first, Math.Max(tail, 0));
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

    private IEnumerable<LogEntry> ReadBatch(InstanceLogs logs, LogFileCursor stdout, LogFileCursor stderr, Func<bool> isRunning, DateTimeOffset? since)
    {
        // Decide "finished" before reading: a line completed after this check waits for the next batch.
        var finished = !isRunning();
        var now = timeProvider.GetUtcNow();
        logs.CatchUp(now);
        var merged = Merge(stdout.ReadNew(finished, now), stderr.ReadNew(finished, now));
        return since is { } from ? merged.Where(e => e.Time >= from) : merged;
    }

    /// <summary>Each file is already in time order, so a two-way merge orders both; ties keep stdout first.</summary>
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

    private static List<LogEntry> TakeLast(IEnumerable<LogEntry> entries, int count)
    {
        var last = new Queue<LogEntry>(Math.Min(count, 1024));
        foreach (var entry in entries)
        {
            if (count == 0)
            {
                continue;
            }

            if (last.Count == count)
            {
                last.Dequeue();
            }

            last.Enqueue(entry);
        }

        return [.. last];
    }
}
