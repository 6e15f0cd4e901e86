using Berth.Core.Agents;
using Berth.Core.Plugins;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;

namespace Berth.Server.Plugins;

/// <summary>
/// The agents that run installed plugins' instances. A pool agent is stored like an applied agent (so the reconciler starts,
/// probes, restarts and re-adopts its instances with an agent's hardening) but belongs to its plugin version: it is kept out
/// of the agents users list and reach, its stored replica count is the warm floor, and <see cref="PluginPoolScale"/> holds
/// the live count.
/// </summary>
internal sealed class PluginPools(IAgentStore agents, PluginPoolScale scale, InstanceDirectory directory, ReconcileSignal reconcile)
{
    /// <summary>Raised with the pool agent's name once <see cref="EnsureAsync"/> has created or brought it back.</summary>
    public event Action<string>? Ensured;

    /// <summary>Raised with the pool agent's name once <see cref="RemoveAsync"/> has marked it removed, so calls waiting for it end.</summary>
    public event Action<string>? Removed;

    /// <summary>The pool agent of an installed version.</summary>
    public static string AgentOf(PluginRecord plugin) => PluginPoolNames.For(plugin.Id, plugin.Version);

    /// <summary>Creates (or brings back) the pool agent of <paramref name="plugin"/>, at its warm floor, and wakes the reconciler.</summary>
    public async Task<AgentRecord> EnsureAsync(PluginRecord plugin, CancellationToken cancellationToken)
    {
        var spec = PluginAgentSpecs.For(plugin, plugin.Spec.Pool.MinWarm);
        var applied = await agents.ApplyPoolAsync(spec, plugin.Reference, cancellationToken);
        reconcile.Poke();
        Ensured?.Invoke(applied.Agent.Name);
        return applied.Agent;
    }

    /// <summary>Sets how many instances the pool should run now, and wakes the reconciler when that changed.</summary>
    public void Scale(PluginRecord plugin, int replicas)
    {
        var agent = AgentOf(plugin);
        if (scale.Replicas(agent) != replicas)
        {
            scale.Set(agent, replicas);
            reconcile.Poke();
        }
    }

    /// <summary>How many instances the pool runs now: the live count the scaler set, else its warm floor.</summary>
    public int ReplicasOf(PluginRecord plugin) => scale.Replicas(AgentOf(plugin)) ?? plugin.Spec.Pool.MinWarm;

    /// <summary>The pool's route: its healthy instances and the calls in flight to each; null before the reconciler's first pass over it.</summary>
    public AgentRoute? Route(PluginRecord plugin) => directory.Find(AgentOf(plugin));

    /// <summary>Marks the pool agent removed; the reconciler stops and removes its instances, then forgets it.</summary>
    public async Task RemoveAsync(PluginRecord plugin, CancellationToken cancellationToken)
    {
        var agent = AgentOf(plugin);
        scale.Forget(agent);
        await agents.SetDesiredStateAsync(agent, DesiredState.Removed, cancellationToken);
        reconcile.Poke();
        Removed?.Invoke(agent);
    }
}
