using Berth.Core.Security;

namespace Berth.Runtime.Process.Logs;

/// <summary>
/// One log of an instance (its stdout or its stderr): the file the child appends to, the rotated copies
/// <c>{name}.1</c> (newest) to <c>{name}.{maxFiles-1}</c>, and their <see cref="LogTimeIndex"/>. Readers address
/// the log by its offset in the whole log since the first run, so a reader keeps its place across a rotation.
/// </summary>
/// <remarks>
/// Rotation copies and truncates: the child holds the file open with O_APPEND (the <c>&gt;&gt;</c> of the launch
/// wrapper) and cannot be told to reopen it, so the file is copied to <c>.1</c> and truncated in place, and the
/// child's next write lands at the new start. Bytes written in the instant between the end of the copy and the
/// truncation are lost, as with logrotate's copytruncate. A crash in that instant may show some lines twice.
/// Every read and the rotation take one lock, so a reader never sees a file half rotated.
/// </remarks>
internal sealed class RotatingLogFile(string path, string indexPath)
{
    private const int CopyBufferSize = 64 * 1024;

    private readonly LogTimeIndex _index = new(indexPath);
    private readonly Lock _gate = new();
    private long _lengthAtLastLook = -1;

    public string Path { get; } = path;

    /// <summary>Creates the file owner-only when it does not exist yet, so the child's <c>&gt;&gt;</c> finds it with that mode.</summary>
    public void Create() => new FileStream(Path, OwnerOnly.Write(FileMode.Append)).Dispose();

    /// <summary>Stamps the bytes appended since the last call with <paramref name="now"/>.</summary>
    public void CatchUp(DateTimeOffset now)
    {
        lock (_gate)
        {
            CatchUpLocked(now);
        }
    }

    /// <summary>
    /// A look of the <see cref="LogStamper"/>: stamps what was appended and rotates when due, with one look at the file's
    /// size when nothing was written (the common case). True when the size changed since the last look, whoever stamped
    /// the new bytes (a reader stamps what it reads), so the stamper keeps looking often at a log that is being written.
    /// </summary>
    public bool Maintain(DateTimeOffset now, long maxBytes, int maxFiles)
    {
        lock (_gate)
        {
            var length = FileLength(Path);
            var changed = length != _lengthAtLastLook;
            _lengthAtLastLook = length;
            if (_index.Base + length == _index.Covered && length < maxBytes)
            {
                return changed;
            }
        }

        CatchUp(now);
        RotateIfNeeded(now, maxBytes, maxFiles);
        return true;
    }

    /// <summary>
    /// Rotates when the file has reached <paramref name="maxBytes"/>, keeping <paramref name="maxFiles"/> files in all
    /// (the current one included). The size is checked on each poll, so a file may pass it a little; one that has
    /// grown past twice the size (a fast writer, or a log older than rotation) keeps only its last
    /// <paramref name="maxBytes"/>, from the start of a line.
    /// </summary>
    public void RotateIfNeeded(DateTimeOffset now, long maxBytes, int maxFiles)
    {
        lock (_gate)
        {
            if (FileLength(Path) < maxBytes)
            {
                return;
            }

            CatchUpLocked(now);
            for (var k = maxFiles; File.Exists(Rotated(k)); k++)
            {
                // Left by an earlier setting that kept more files.
                File.Delete(Rotated(k));
            }

            for (var k = maxFiles - 1; k >= 1; k--)
            {
                var from = Rotated(k);
                if (k == maxFiles - 1 || !File.Exists(from))
                {
                    File.Delete(from);
                    continue;
                }

                File.Move(from, Rotated(k + 1), overwrite: true);
            }

            using var current = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            var end = maxFiles > 1 ? CopyTail(current, Rotated(1), maxBytes) : current.Length;
            current.SetLength(0);
            var newBase = _index.Base + end;
            _index.Stamp(newBase, now);
            _index.Rebase(newBase, keepFrom: newBase - RotatedLengths(maxFiles).Sum());
        }
    }

    /// <summary>The offset of the oldest byte still kept.</summary>
    public long Start
    {
        get
        {
            lock (_gate)
            {
                return Segments()[0].Start;
            }
        }
    }

    /// <summary>
    /// Reads bytes from <paramref name="offset"/>; <paramref name="readAt"/> is where they really start (later than
    /// asked when what was asked for has been rotated away). Returns 0 at the end.
    /// </summary>
    public int Read(long offset, Span<byte> buffer, out long readAt)
    {
        lock (_gate)
        {
            readAt = offset;
            foreach (var segment in Segments())
            {
                if (segment.End <= readAt)
                {
                    continue;
                }

                readAt = Math.Max(readAt, segment.Start);
                if (Open(segment.Path) is not { } stream)
                {
                    continue;
                }

                using (stream)
                {
                    stream.Seek(readAt - segment.Start, SeekOrigin.Begin);
                    var wanted = (int)Math.Min(buffer.Length, segment.End - readAt);
                    var read = stream.ReadAtLeast(buffer[..wanted], wanted, throwOnEndOfStream: false);
                    if (read > 0)
                    {
                        return read;
                    }
                }
            }

            return 0;
        }
    }

    /// <summary>When the byte at <paramref name="offset"/> was first seen; null when not stamped yet.</summary>
    public DateTimeOffset? TimeOf(long offset)
    {
        lock (_gate)
        {
            return _index.TimeOf(offset);
        }
    }

    /// <summary>
    /// Where the last <paramref name="lines"/> lines begin, reading back from the end at most <paramref name="maxBytes"/>;
    /// when that budget ends first, the start of the first whole line inside it.
    /// </summary>
    public long TailStart(int lines, long maxBytes)
    {
        if (lines <= 0)
        {
            lock (_gate)
            {
                return Segments()[^1].End;
            }
        }

        var buffer = new byte[CopyBufferSize];
        long end, start;
        lock (_gate)
        {
            var segments = Segments();
            end = segments[^1].End;
            start = segments[0].Start;
        }

        var floor = Math.Max(start, end - maxBytes);
        var position = end;
        var newlines = 0;
        long? firstLineInBudget = null;
        while (position > floor)
        {
            var size = (int)Math.Min(buffer.Length, position - floor);
            var chunkStart = position - size;
            var read = Read(chunkStart, buffer.AsSpan(0, size), out var readAt);
            if (read == 0 || readAt != chunkStart)
            {
                // Rotated away while we looked: begin at what is left.
                return readAt;
            }

            for (var i = read - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n' || chunkStart + i == end - 1)
                {
                    continue;
                }

                firstLineInBudget = chunkStart + i + 1;
                if (++newlines == lines)
                {
                    return chunkStart + i + 1;
                }
            }

            position = chunkStart;
        }

        return floor == start ? start : firstLineInBudget ?? floor;
    }

    private void CatchUpLocked(DateTimeOffset now)
    {
        var end = _index.Base + FileLength(Path);
        if (end < _index.Covered)
        {
            // Truncated or replaced by hand: what it holds now starts after everything stamped so far.
            _index.Rebase(_index.Covered, keepFrom: Segments()[0].Start);
            end = _index.Base + FileLength(Path);
        }

        _index.Stamp(end, now);
    }

    /// <summary>Copies <paramref name="current"/> (read to its very end; only its last lines when it is huge) to <paramref name="target"/>; returns that end.</summary>
    private static long CopyTail(FileStream current, string target, long maxBytes)
    {
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        long end;
        using (var copy = new FileStream(temporary, OwnerOnly.Write(FileMode.CreateNew)))
        {
            var buffer = new byte[CopyBufferSize];
            current.Seek(current.Length > 2 * maxBytes ? LineAfter(current, current.Length - maxBytes, buffer) : 0, SeekOrigin.Begin);
            int read;
            while ((read = current.Read(buffer)) > 0)
            {
                copy.Write(buffer.AsSpan(0, read));
            }

            end = current.Position;
        }

        File.Move(temporary, target, overwrite: true);
        return end;
    }

    /// <summary>The position after the first newline at or after <paramref name="from"/>; <paramref name="from"/> when there is none.</summary>
    private static long LineAfter(FileStream stream, long from, byte[] buffer)
    {
        stream.Seek(from, SeekOrigin.Begin);
        var position = from;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
            if (newline >= 0)
            {
                return position + newline + 1;
            }

            position += read;
        }

        return from;
    }

    /// <summary>The kept files, oldest first; the current file last (always present, perhaps empty).</summary>
    private List<Segment> Segments()
    {
        var segments = new List<Segment> { new(Path, _index.Base, _index.Base + FileLength(Path)) };
        var start = _index.Base;
        for (var k = 1; File.Exists(Rotated(k)); k++)
        {
            var length = FileLength(Rotated(k));
            segments.Insert(0, new Segment(Rotated(k), start - length, start));
            start -= length;
        }

        return segments;
    }

    private IEnumerable<long> RotatedLengths(int maxFiles) =>
        Enumerable.Range(1, Math.Max(0, maxFiles - 1)).Select(k => FileLength(Rotated(k)));

    private string Rotated(int k) => $"{Path}.{k}";

    private static FileStream? Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private readonly record struct Segment(string Path, long Start, long End);
}
