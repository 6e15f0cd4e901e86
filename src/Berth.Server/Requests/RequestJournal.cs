using System.Threading.Channels;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Requests;

/// <summary>
/// Group commit for request records: one writer takes every save queued so far and commits them in one transaction, so the
/// store pays one commit for many requests. <see cref="SaveAsync"/> completes once its record is committed (a request is
/// stored before it is forwarded); <see cref="SaveLater"/> only queues (an outcome the caller need not wait for), and
/// <see cref="FlushAsync"/> lets a reader of the store see everything queued before it (the API reads after it). A batch
/// that fails is retried one record at a time, so one bad record fails only its own caller (an idempotency key another
/// server sharing the database stored first: <see cref="IdempotencyKeyTakenException"/>); a full disk fails the whole batch
/// with <see cref="StorageFullException"/> and the writer goes on with the next. Stopping commits what is queued.
/// Hand-written on a Channel: no served library does group commit over Microsoft.Data.Sqlite or Npgsql. The store writes a
/// batch the way its engine does it cheapest (prepared statements on a kept SQLite connection; one NpgsqlBatch round trip).
/// </summary>
internal sealed partial class RequestJournal(IRequestStore store, Health.DataDisk disk, ILogger<RequestJournal> logger) : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once <paramref name="request"/> is committed.</summary>
    public Task SaveAsync(ProxiedRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the server is stopping; the request was not stored");
        }

        return cancellationToken.CanBeCanceled ? pending.Committed!.Task.WaitAsync(cancellationToken) : pending.Committed!.Task;
    }

    /// <summary>
    /// Queues <paramref name="request"/> for the next batch without waiting for it. If it is never committed (a full disk,
    /// or the server stops first) the stored record keeps its earlier state; the failure is logged.
    /// </summary>
    public void SaveLater(ProxiedRequest request)
    {
        if (!_queue.Writer.TryWrite(new Pending(request, null)))
        {
            LogNotStored(request.Id, request.AgentName, "the server is stopping");
        }
    }

    /// <summary>
    /// Completes once everything queued before the call has been written (or has failed), so a read of the store after it sees
    /// every outcome whose answer was already sent. Completes at once while the server stops (stopping commits the queue).
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new Pending(null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(marker) ? marker.Committed!.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                await CommitAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: commit what is already queued, so callers that were promised a save get it
            _queue.Writer.TryComplete();
            while (reader.TryRead(out var next))
            {
                batch.Add(next);
                if (batch.Count == MaxBatch)
                {
                    await CommitAsync(batch);
                    batch.Clear();
                }
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Pending> queued)
    {
        // Flush markers are done once what was queued before them is: that is, once this batch is written or failed.
        var batch = queued.FindAll(p => p.Request is not null);
        try
        {
            await WriteAsync(batch);
        }
        finally
        {
            queued.FindAll(p => p.Request is null).ForEach(p => p.Committed!.TrySetResult());
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.SaveAsync(batch.ConvertAll(p => p.Request!), CancellationToken.None);
            disk.ReportWritten();
            batch.ForEach(p =>
            {
                RequestMetrics.RecordOutcome(p.Request!);
                p.Committed?.TrySetResult();
            });
        }
        catch (StorageFullException full)
        {
            // No record is to blame, so there is nothing to retry one by one: every caller learns the disk is full, and
            // nothing of the batch was stored (what was stored before is untouched).
            disk.ReportFull(full);
            batch.ForEach(p => Fail(p, full));
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var one in batch)
            {
                await WriteAsync([one]);
            }
        }
        catch (Exception ex)
        {
            Fail(batch[0], ex);
        }
    }

    private void Fail(Pending pending, Exception exception)
    {
        if (pending.Committed is { } committed)
        {
            committed.TrySetException(exception);
        }
        else
        {
            LogNotStored(pending.Request!.Id, pending.Request.AgentName, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The outcome of request {RequestId} to agent {AgentName} was not stored ({Reason}); it stays dispatched, and is delivered again when its lease ends or the server restarts")]
    private partial void LogNotStored(string requestId, string agentName, string reason);

    // Request null: a flush marker.
    private sealed record Pending(ProxiedRequest? Request, TaskCompletionSource? Committed);
}
