using System.Globalization;

namespace Berth.Runtime.Process.Logs;

/// <summary>
/// Remembers when each stretch of a log file was first seen, in a sidecar file of
/// <c>start end utcTicks</c> lines. The child writes its log file directly (see
/// <see cref="ProcessAgentRuntime"/>), so lines carry no time of their own; the server stamps new bytes
/// each time it polls (every 250 ms), which is as precise as a line's time gets here. Lines written
/// while no server ran are stamped when the next server first looks.
/// </summary>
internal sealed class LogTimeIndex
{
    private readonly string _logPath;
    private readonly string _indexPath;
    private readonly List<Stretch> _stretches;
    private readonly Lock _gate = new();

    public LogTimeIndex(string logPath, string indexPath)
    {
        _logPath = logPath;
        _indexPath = indexPath;
        _stretches = Load(indexPath);
    }

    /// <summary>Stamps the bytes appended since the last call with <paramref name="now"/>.</summary>
    public void CatchUp(DateTimeOffset now)
    {
        lock (_gate)
        {
            var length = FileLength(_logPath);
            var covered = _stretches.Count == 0 ? 0 : _stretches[^1].End;
            if (length < covered)
            {
                // The log was truncated or replaced by hand: its old stamps no longer fit.
                _stretches.Clear();
                File.Delete(_indexPath);
                covered = 0;
            }

            if (length == covered)
            {
                return;
            }

            var stretch = new Stretch(covered, length, now.UtcTicks);
            File.AppendAllText(_indexPath, string.Create(CultureInfo.InvariantCulture, $"{stretch.Start} {stretch.End} {stretch.UtcTicks}\n"));
            _stretches.Add(stretch);
        }
    }

    /// <summary>When the byte at <paramref name="offset"/> was first seen; null when not stamped yet.</summary>
    public DateTimeOffset? TimeOf(long offset)
    {
        lock (_gate)
        {
            int low = 0, high = _stretches.Count - 1;
            while (low <= high)
            {
                var middle = (low + high) / 2;
                var stretch = _stretches[middle];
                if (offset < stretch.Start)
                {
                    high = middle - 1;
                }
                else if (offset >= stretch.End)
                {
                    low = middle + 1;
                }
                else
                {
                    return new DateTimeOffset(stretch.UtcTicks, TimeSpan.Zero);
                }
            }

            return null;
        }
    }

    private static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private static List<Stretch> Load(string indexPath)
    {
        var stretches = new List<Stretch>();
        if (!File.Exists(indexPath))
        {
            return stretches;
        }

        foreach (var line in File.ReadLines(indexPath))
        {
            // A line cut short by a crash fails to parse and is skipped; its bytes get stamped again.
            var parts = line.Split(' ');
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && end > start
                && start == (stretches.Count == 0 ? 0 : stretches[^1].End))
            {
                stretches.Add(new Stretch(start, end, ticks));
            }
        }

        return stretches;
    }

    private readonly record struct Stretch(long Start, long End, long UtcTicks);
}
