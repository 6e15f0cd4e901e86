using Berth.Core.Runtime;
using Berth.Server.Runtimes;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Reconciliation;

/// <summary>Asks every driver what runs, and keeps the catalog's availability of each driver up to date.</summary>
internal sealed partial class RuntimeObserver(RuntimeCatalog runtimes, ILogger<RuntimeObserver> logger)
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(15);

    public async Task<Observation> ObserveAsync(CancellationToken cancellationToken)
    {
        var observation = new Observation();
        foreach (var driver in runtimes.Drivers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ListTimeout);
            try
            {
                observation.Add(driver, await driver.ListAsync(timeout.Token));
                if (!runtimes.IsAvailable(driver))
                {
                    LogRuntimeAvailable(driver.Name);
                }

                runtimes.MarkAvailable(driver);
            }
            catch (Exception ex) when (ex is RuntimeException or HttpRequestException or IOException ||
                                       (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var reason = ex is OperationCanceledException ? "it did not answer within 15s" : ex.Message;
                if (runtimes.IsAvailable(driver))
                {
                    LogRuntimeUnavailable(driver.Name, reason);
                }

                runtimes.MarkUnavailable(driver, reason);
            }
        }

        return observation;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Runtime} runtime does not answer: {Reason}")]
    private partial void LogRuntimeUnavailable(string runtime, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Runtime} runtime answers")]
    private partial void LogRuntimeAvailable(string runtime);
}
