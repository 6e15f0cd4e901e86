using System.Text;
using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Logs;

/// <summary>Reads the lines of one log from where the previous read stopped, following it across rotations.</summary>
internal sealed class LogFileCursor(string instanceId, LogSource source, RotatingLogFile log, long offset)
{
    /// <summary>A line longer than this is returned in parts, so one huge line never has to be held whole.</summary>
    public const int MaxLineBytes = 64 * 1024;

    private const int ChunkSize = 64 * 1024;

    private long _offset = offset;

    /// <summary>
    /// Yields the complete lines written since the last call, stamped from the index (or with
    /// <paramref name="fallbackTime"/>). A final line without its newline is held back unless
    /// <paramref name="includePartial"/> (the writer has exited, so it will not be finished).
    /// </summary>
    public IEnumerable<LogEntry> ReadNew(bool includePartial, DateTimeOffset fallbackTime)
    {
        var pending = new List<byte>();
        var lineStart = _offset;
        var position = _offset;
        var buffer = new byte[ChunkSize];
        while (log.Read(position, buffer, out var readAt) is var read and > 0)
        {
            if (readAt != position)
            {
                // What we had not read yet was rotated away: carry on from the oldest line kept.
                pending.Clear();
                lineStart = readAt;
                _offset = readAt;
            }

            position = readAt;
            for (var i = 0; i < read; i++)
            {
                position++;
                if (buffer[i] != (byte)'\n')
                {
                    pending.Add(buffer[i]);
                    if (pending.Count < MaxLineBytes)
                    {
                        continue;
                    }

                    var cut = CharacterBoundary(pending);
                    var part = ToEntry(pending[..cut], lineStart, fallbackTime);
                    pending.RemoveRange(0, cut);
                    lineStart += cut;
                    _offset = lineStart;
                    yield return part;
                    continue;
                }

                var entry = ToEntry(pending, lineStart, fallbackTime);
                pending.Clear();
                lineStart = position;
                _offset = position;
                yield return entry;
            }
        }

        if (includePartial && pending.Count > 0)
        {
            _offset = position;
            yield return ToEntry(pending, lineStart, fallbackTime);
        }
    }

    /// <summary>Where to cut a long line so a UTF-8 character is not split: before the last character's lead byte when it may be incomplete.</summary>
    private static int CharacterBoundary(List<byte> bytes)
    {
        for (var i = bytes.Count - 1; i >= Math.Max(0, bytes.Count - 4); i--)
        {
            if ((bytes[i] & 0xC0) != 0x80)
            {
                return i > 0 ? i : bytes.Count;
            }
        }

        return bytes.Count;
    }

    private LogEntry ToEntry(List<byte> bytes, long start, DateTimeOffset fallbackTime)
    {
        var count = bytes.Count > 0 && bytes[^1] == (byte)'\r' ? bytes.Count - 1 : bytes.Count;
        var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)[..count]);
        return new LogEntry(instanceId, log.TimeOf(start) ?? fallbackTime, source, text);
    }
}
