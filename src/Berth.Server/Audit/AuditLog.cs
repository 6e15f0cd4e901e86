using System.Security.Claims;
using System.Threading.Channels;
using Berth.Core.Security;
using Berth.Server.Security;

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

    private const string Anonymous = "anonymous";

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

    /// <summary>
    /// Queues the record of what <paramref name="user"/> did, reading who it was (principal, token, role) from the principal
    /// the one way every record does: <c>anonymous</c> when no token was accepted. The outcome follows from
    /// <paramref name="status"/> unless <paramref name="outcome"/> says otherwise.
    /// </summary>
    public void Write(
        ClaimsPrincipal user, DateTimeOffset time, string action, string? verb, string? target, int status, string? source, string? outcome = null)
    {
        var authenticated = user.Identity?.IsAuthenticated == true;
        Write(new AuditRecord
        {
            Time = time,
            Principal = authenticated ? user.Identity!.Name ?? "unknown" : Anonymous,
            TokenId = authenticated ? user.FindFirstValue(BerthClaims.TokenId) : null,
            Role = authenticated ? user.FindFirstValue(ClaimTypes.Role) : null,
            Action = action,
            Verb = verb,
            Target = target,
            Status = status,
            Outcome = outcome ?? AuditOutcomes.FromStatus(status),
            Source = source,
        });
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
