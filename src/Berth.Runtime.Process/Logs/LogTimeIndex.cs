using System.Globalization;
using Berth.Core.Security;

namespace Berth.Runtime.Process.Logs;

/// <summary>
/// Remembers when each stretch of a log was first seen, in a sidecar file of <c>start end utcTicks</c> lines. The
/// child writes its log file directly (see <see cref="ProcessAgentRuntime"/>), so lines carry no time of their own;
/// the server stamps new bytes each time it polls (every 250 ms), which is as precise as a line's time gets here.
/// Lines written while no server ran are stamped when the next server first looks.
/// </summary>
/// <remarks>
/// Offsets are positions in the whole log since the instance's first run, across rotations (see
/// <see cref="RotatingLogFile"/>): a first line <c>base N</c> says the current file starts at N. Not thread-safe;
/// its owner holds the lock.
/// </remarks>
internal sealed class LogTimeIndex
{
    private const string BasePrefix = "base ";

    private readonly string _path;
    private readonly List<Stretch> _stretches = [];

    public LogTimeIndex(string path)
    {
        _path = path;
        Load();
    }

    /// <summary>Where the current log file starts in the whole log.</summary>
    public long Base { get; private set; }

    /// <summary>The end of what is stamped (at least <see cref="Base"/>).</summary>
    public long Covered => _stretches.Count == 0 ? Base : Math.Max(Base, _stretches[^1].End);

    /// <summary>Stamps everything from <see cref="Covered"/> to <paramref name="end"/> with <paramref name="now"/>.</summary>
    public void Stamp(long end, DateTimeOffset now)
    {
        var covered = Covered;
        if (end <= covered)
        {
            return;
        }

        var stretch = new Stretch(covered, end, now.UtcTicks);
        using (var stream = new FileStream(_path, OwnerOnly.Write(FileMode.Append)))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Format(stretch));
        }

        _stretches.Add(stretch);
    }

    /// <summary>
    /// Starts a new current file at <paramref name="newBase"/> and forgets stamps before <paramref name="keepFrom"/>
    /// (what rotation deleted). Written to a new file and renamed, so a crash leaves the old index or the new one.
    /// </summary>
    public void Rebase(long newBase, long keepFrom)
    {
        _stretches.RemoveAll(s => s.End <= keepFrom);
        Base = newBase;
        var temporary = $"{_path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, OwnerOnly.Write(FileMode.CreateNew)))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{BasePrefix}{newBase}\n"));
            foreach (var stretch in _stretches)
            {
                writer.Write(Format(stretch));
            }
        }

        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>When the byte at <paramref name="offset"/> was first seen; null when not stamped.</summary>
    public DateTimeOffset? TimeOf(long offset)
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

    private static string Format(Stretch stretch) =>
        string.Create(CultureInfo.InvariantCulture, $"{stretch.Start} {stretch.End} {stretch.UtcTicks}\n");

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        foreach (var line in File.ReadLines(_path))
        {
            if (line.StartsWith(BasePrefix, StringComparison.Ordinal) && _stretches.Count == 0
                && long.TryParse(line.AsSpan(BasePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var @base))
            {
                Base = @base;
                continue;
            }

            // A line cut short by a crash fails to parse and is skipped; its bytes get stamped again.
            var parts = line.Split(' ');
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && end > start
                && (_stretches.Count == 0 || start == _stretches[^1].End))
            {
                _stretches.Add(new Stretch(start, end, ticks));
            }
        }
    }

    private readonly record struct Stretch(long Start, long End, long UtcTicks);
}
