using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Server.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Audit;

/// <summary>
/// Drains the <see cref="AuditLog"/> into the <see cref="IAuditStore"/> in batches, redacting secret values on the way and
/// folding floods of denials (<see cref="DenialAggregator"/>). On shutdown it closes the log and stores what is still queued.
/// </summary>
internal sealed class AuditWriter(AuditLog log, IAuditStore store, SecretRedactor redactor, TimeProvider time, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;

    // How often a quiet writer looks for ended minutes whose denial counts are still to be stored.
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    private readonly DenialAggregator _denials = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        log.Close();
        await DrainAsync(everything: true, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var tick = new CancellationTokenSource(Tick, time))
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, tick.Token))
                {
                    try
                    {
                        if (!await log.Reader.WaitToReadAsync(wait.Token))
                        {
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // A quiet tick: store the counts of minutes that ended.
                    }
                }

                // Not cancelled by shutdown: a batch taken from the queue is stored, not lost half-way.
                await DrainAsync(everything: false, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // StopAsync stores what is left.
        }
    }

    private async Task DrainAsync(bool everything, CancellationToken cancellationToken)
    {
        var batch = new List<AuditRecord>(BatchSize);
        var flushes = new List<TaskCompletionSource>();
        do
        {
            batch.Clear();
            flushes.Clear();
            while (batch.Count < BatchSize && log.Reader.TryRead(out var item))
            {
                if (item.Record is { } record)
                {
                    _denials.Add(Redact(record), batch);
                }
                else if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                }
            }

            // A flush asks for everything so far, the counts of the current minute included.
            if (everything || flushes.Count > 0)
            {
                _denials.TakeAll(batch);
            }
            else
            {
                _denials.TakeEnded(time.GetUtcNow(), batch);
            }

            await StoreAsync(batch, cancellationToken);
            flushes.ForEach(f => f.TrySetResult());
        }
        while (batch.Count > 0 || flushes.Count > 0);

        if (log.TakeDropped() is > 0 and var dropped)
        {
            AuditLogMessages.Dropped(logger, dropped, AuditLog.Capacity);
        }
    }

    private async Task StoreAsync(List<AuditRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.AppendAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The audit log must not take the server down; the operator learns of the loss from the log.
            AuditLogMessages.StoreFailed(logger, batch.Count, ex);
        }
    }

    // Route values and paths are chosen by the caller; a secret value typed into one must not be stored in the clear.
    private AuditRecord Redact(AuditRecord record) => redactor.IsEmpty ? record : record with
    {
        Principal = redactor.Redact(record.Principal),
        Action = redactor.Redact(record.Action),
        Target = redactor.Redact(record.Target),
    };
}
