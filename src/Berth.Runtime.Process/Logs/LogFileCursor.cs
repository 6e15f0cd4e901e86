using System.Text;
using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Logs;

/// <summary>Reads the lines of one log file from where the previous read stopped.</summary>
internal sealed class LogFileCursor(string instanceId, LogSource source, string path, LogTimeIndex index)
{
    private const int ChunkSize = 64 * 1024;

    private long _offset;

    /// <summary>
    /// Yields the complete lines written since the last call, stamped from the index (or with
    /// <paramref name="fallbackTime"/>). A final line without its newline is held back unless
    /// <paramref name="includePartial"/> (the writer has exited, so it will not be finished).
    /// </summary>
    public IEnumerable<LogEntry> ReadNew(bool includePartial, DateTimeOffset fallbackTime)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            yield break;
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }

        using (stream)
        {
            if (stream.Length < _offset)
            {
                _offset = 0;
            }

            stream.Seek(_offset, SeekOrigin.Begin);
            var pending = new List<byte>();
            var lineStart = _offset;
            var position = _offset;
            var buffer = new byte[ChunkSize];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    position++;
                    if (buffer[i] != (byte)'\n')
                    {
                        pending.Add(buffer[i]);
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
    }

    private LogEntry ToEntry(List<byte> bytes, long start, DateTimeOffset fallbackTime)
    {
        var count = bytes.Count > 0 && bytes[^1] == (byte)'\r' ? bytes.Count - 1 : bytes.Count;
        var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)[..count]);
        return new LogEntry(instanceId, index.TimeOf(start) ?? fallbackTime, source, text);
    }
}
