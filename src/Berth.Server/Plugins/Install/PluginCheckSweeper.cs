using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// At start, cleans up what a server that died mid-check or mid-install left: check agents still stored are marked removed
/// (the reconciler then stops their instances and forgets them), and the staging folders are deleted.
/// </summary>
internal sealed class PluginCheckSweeper(IAgentStore agents, ReconcileSignal reconcile, IOptions<PluginOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var swept = false;
        foreach (var agent in await agents.ListWithPoolsAsync(cancellationToken))
        {
            if (agent.Name.StartsWith(PluginCheckInstance.Prefix, StringComparison.Ordinal) && agent.DesiredState != DesiredState.Removed)
            {
                await agents.SetDesiredStateAsync(agent.Name, DesiredState.Removed, cancellationToken);
                swept = true;
            }
        }

        PluginPackage.Remove(Path.Combine(options.Value.Directory, ".staging"));
        if (swept)
        {
            reconcile.Poke();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
