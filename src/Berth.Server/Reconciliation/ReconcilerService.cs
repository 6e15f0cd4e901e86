using Berth.Server.Cluster;
using Berth.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Runs reconciler passes every <c>Berth:Reconciler:Interval</c>, and at once when poked: the leader's drive agents, the
/// others' only mirror what the leader stored, for their proxies.
/// </summary>
internal sealed partial class ReconcilerService(
    Reconciler reconciler,
    Leadership leadership,
    ReconcileSignal signal,
    IOptions<BerthOptions> options,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Reconciler.Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await reconciler.PassAsync(leadership.IsLeader, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex);
            }

            try
            {
                await signal.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A reconciler pass failed; the next pass retries")]
    private partial void LogPassFailed(Exception exception);
}
