using System.Text;

namespace Berth.Core.Runtime;

/// <summary>Keeps the last lines of a sequence within a count and a size, holding no more than that at any time.</summary>
public static class LogTail
{
    /// <summary>The last <paramref name="count"/> entries whose lines together take at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static List<LogEntry> Last(IEnumerable<LogEntry> entries, int count, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var window = new Window(count, maxBytes);
        foreach (var entry in entries)
        {
            window.Add(entry);
        }

        return window.ToList();
    }

    /// <summary>The asynchronous form of <see cref="Last(IEnumerable{LogEntry}, int, long)"/>.</summary>
    public static async Task<List<LogEntry>> LastAsync(IAsyncEnumerable<LogEntry> entries, int count, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var window = new Window(count, maxBytes);
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            window.Add(entry);
        }

        return window.ToList();
    }

    private sealed class Window(int count, long maxBytes)
    {
        private readonly Queue<(LogEntry Entry, int Bytes)> _kept = new();
        private long _bytes;

        public void Add(LogEntry entry)
        {
            if (count <= 0)
            {
                return;
            }

            var bytes = Encoding.UTF8.GetByteCount(entry.Line);
            _kept.Enqueue((entry, bytes));
            _bytes += bytes;
            while (_kept.Count > count || (_bytes > maxBytes && _kept.Count > 0))
            {
                _bytes -= _kept.Dequeue().Bytes;
            }
        }

        public List<LogEntry> ToList() => [.. _kept.Select(k => k.Entry)];
    }
}
