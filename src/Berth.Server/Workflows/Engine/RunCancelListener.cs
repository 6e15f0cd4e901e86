using Berth.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Hears the cancels made through the other servers sharing the store (<see cref="StoreChannels.RunCancels"/>) and stops the
/// run when this server is the one executing it, as a cancel made here would.
/// </summary>
internal sealed partial class RunCancelListener(IStoreSignals signals, RunCommands commands, ActiveRuns active, ILogger<RunCancelListener> logger)
    : IHostedService
{
    private IDisposable? _listening;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _listening = await signals.ListenAsync(StoreChannels.RunCancels, Heard, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listening?.Dispose();
        return Task.CompletedTask;
    }

    private void Heard(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return;
        }

        _ = CancelAsync(payload[..space], payload[(space + 1)..]);
    }

    private async Task CancelAsync(string runId, string by)
    {
        await active.ClaimGate.WaitAsync();
        try
        {
            if (await commands.CancelActiveAsync(runId, by))
            {
                LogCancelled(runId, by);
            }
        }
        finally
        {
            active.ClaimGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} cancelled by {By} through another server")]
    private partial void LogCancelled(string runId, string by);
}
