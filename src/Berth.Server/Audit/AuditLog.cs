using System.Threading.Channels;
using Berth.Core.Security;

namespace Berth.Server.Audit;

/// <summary>
/// The queue between requests and the audit store. Requests only enqueue (no I/O on the request path); the
/// <see cref="AuditWriter"/> drains it in batches. Bounded, so a flood of denied requests cannot exhaust memory:
/// when full, records are dropped and counted, and the writer logs how many.
/// </summary>
internal sealed class AuditLog
{
    /// <summary>Records that may wait for the writer before new ones are dropped.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<AuditItem> _channel = Channel.CreateBounded<AuditItem>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _dropped;

    public ChannelReader<AuditItem> Reader => _channel.Reader;

    /// <summary>Queues <paramref name="record"/> without waiting; drops it (and counts it) when the queue is full or closed.</summary>
    public void Write(AuditRecord record)
    {
        if (!_channel.Writer.TryWrite(new AuditItem(record, null)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Completes once every record queued before the call is stored (or the writer has given up on it); at once when the log is closed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new AuditItem(null, flushed), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>How many records were dropped since the last call, resetting the count.</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Accepts no more records; those already queued can still be read.</summary>
    public void Close() => _channel.Writer.TryComplete();
}
