using System.Collections.Concurrent;
using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Server.Plugins;
using Berth.Server.Security;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Drives what runs towards what is desired. One pass reads the desired agents and stored instances, asks every driver what
/// actually runs (<see cref="RuntimeObserver"/>), lets <see cref="AgentReconciler"/> take each agent one step towards its spec,
/// removes orphans, and publishes healthy endpoints for the proxy. Passes are idempotent, so a crash at any point is
/// repaired by the next pass.
/// </summary>
internal sealed partial class Reconciler(
    IAgentStore agents,
    IInstanceStore instances,
    RuntimeObserver observer,
    AgentReconciler agentReconciler,
    InstanceRemovals removals,
    InstanceDirectory directory,
    AgentAccessCache access,
    PluginPoolScale pools,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    private const int AgentParallelism = 8;

    /// <summary>A pass longer than this is logged as a warning: agents wait that long to be started, probed or restarted.</summary>
    private static readonly TimeSpan SlowPass = TimeSpan.FromSeconds(5);

    /// <summary>A leader's pass (<see cref="ReconcileOnceAsync"/>) or another server's (<see cref="MirrorOnceAsync"/>).</summary>
    public Task PassAsync(bool leads, CancellationToken cancellationToken) =>
        leads ? ReconcileOnceAsync(cancellationToken) : MirrorOnceAsync(cancellationToken);

    /// <summary>
    /// The pass of a server that does not lead: it changes nothing, and routes its proxy to the instances the leader stored
    /// as running (the leader probes them and stores what it saw every pass).
    /// </summary>
    public async Task MirrorOnceAsync(CancellationToken cancellationToken)
    {
        var wanted = pools.Apply(await agents.ListWithPoolsAsync(cancellationToken));
        access.Remember(wanted);
        var desired = new DesiredAgents(wanted, await instances.ListAsync(null, cancellationToken));
        directory.Publish(wanted
            .Where(agent => agent.DesiredState != DesiredState.Removed)
            .Select(agent => AgentReconciler.RouteOf(agent, desired.Stored(agent.Name))));
    }

    /// <summary>Runs one full pass. Failures of one agent are logged and recorded as events; they do not stop the others.</summary>
    public async Task ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var wanted = pools.Apply(await agents.ListWithPoolsAsync(cancellationToken));
        access.Remember(wanted);
        var observation = await observer.ObserveAsync(cancellationToken);
        var desired = new DesiredAgents(wanted, await instances.ListAsync(null, cancellationToken));
        var routes = new ConcurrentBag<AgentRoute>();

        await Parallel.ForEachAsync(
            wanted,
            new ParallelOptions { MaxDegreeOfParallelism = AgentParallelism, CancellationToken = cancellationToken },
            async (agent, ct) =>
            {
                if (await agentReconciler.ReconcileAsync(agent, observation, desired, ct) is { } route)
                {
                    directory.Update(route);
                    routes.Add(route);
                }
            });

        await removals.RemoveOrphansAsync(observation, desired, cancellationToken);
        directory.Publish(routes);
        var took = time.GetElapsedTime(started);
        if (took > SlowPass)
        {
            LogSlowPass(wanted.Count, took.TotalSeconds);
        }
        else
        {
            LogPass(wanted.Count, took.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciler pass over {AgentCount} agents took {Seconds:0.000}s")]
    private partial void LogPass(int agentCount, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler pass over {AgentCount} agents took {Seconds:0.0}s; agents wait that long to be started, probed or restarted")]
    private partial void LogSlowPass(int agentCount, double seconds);
}
