using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Deletes what a store keeps past its retention (or, with <see cref="Action"/>, settles what was left behind): once at start,
/// then every hour. A failed pass is logged and tried again at the next; the table only grows meanwhile.
/// </summary>
internal abstract partial class HourlyRetention(TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>What a pass deletes, for the log: <c>audit records older than 90 days (Berth:Audit:RetentionDays)</c>.</summary>
    protected abstract string Described { get; }

    /// <summary>What a pass does to them, for the log: <c>Deleted</c> unless a subclass says otherwise.</summary>
    protected virtual string Action => "Deleted";

    /// <summary>Deletes what is past retention at <paramref name="now"/>; returns how many records went.</summary>
    protected abstract Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var purged = await PurgeAsync(time.GetUtcNow(), stoppingToken);
                if (purged > 0)
                {
                    LogPurged(logger, Action, purged, Described);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPurgeFailed(logger, ex, Described);
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

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "{Action} {Count} {What}")]
    private static partial void LogPurged(ILogger logger, string action, int count, string what);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "The hourly pass over {What} failed; trying again in an hour")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception, string what);
}
