using Berth.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Audit;

/// <summary>Deletes audit records older than <c>Berth:Audit:RetentionDays</c>: once at start, then every hour.</summary>
internal sealed partial class AuditRetention(IAuditStore store, IOptions<AuditSettings> settings, TimeProvider time, ILogger<AuditRetention> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var purged = await store.PurgeAsync(time.GetUtcNow().AddDays(-settings.Value.RetentionDays), stoppingToken);
                if (purged > 0)
                {
                    LogPurged(purged, settings.Value.RetentionDays);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next pass tries again; the log only grows meanwhile.
                LogPurgeFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Deleted {Count} audit records older than {Days} days (Berth:Audit:RetentionDays)")]
    private partial void LogPurged(int count, int days);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Deleting old audit records failed; trying again in an hour")]
    private partial void LogPurgeFailed(Exception exception);
}
