using System.Threading.Channels;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Requests;

/// <summary>
/// Group commit for request records: every save waits for a transaction, but saves that arrive together share one, so the
/// store pays one commit for many requests. A batch that fails is retried one record at a time, so one bad record (a reused
/// idempotency key) fails only its own caller; a full disk fails the whole batch with <see cref="StorageFullException"/>.
/// </summary>
internal sealed class RequestJournal(IRequestStore store, Health.DataDisk disk) : BackgroundService
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

        return pending.Committed.Task.WaitAsync(cancellationToken);
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
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.SaveAsync(batch.ConvertAll(p => p.Request), CancellationToken.None);
            disk.ReportWritten();
            batch.ForEach(p => p.Committed.TrySetResult());
        }
        catch (StorageFullException full)
        {
            // No record is to blame, so there is nothing to retry one by one: every caller learns the disk is full, and
            // nothing of the batch was stored (what was stored before is untouched).
            disk.ReportFull(full);
            batch.ForEach(p => p.Committed.TrySetException(full));
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var one in batch)
            {
                await CommitAsync([one]);
            }
        }
        catch (Exception ex)
        {
            batch[0].Committed.TrySetException(ex);
        }
    }

    private sealed record Pending(ProxiedRequest Request, TaskCompletionSource Committed);
}
