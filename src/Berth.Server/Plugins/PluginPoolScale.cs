using System.Collections.Concurrent;
using Berth.Core.Agents;

namespace Berth.Server.Plugins;

/// <summary>
/// How many instances each plugin pool should run right now. The stored pool agent keeps its warm floor as its replica
/// count; the pool's scaler sets the live count here, and the reconciler reads it each pass, so scaling never changes the
/// stored spec (which would raise its generation and replace every instance).
/// </summary>
internal sealed class PluginPoolScale
{
    private readonly ConcurrentDictionary<string, int> _replicas = new(StringComparer.Ordinal);

    /// <summary>Sets the live replica count of a pool agent.</summary>
    public void Set(string poolAgent, int replicas) => _replicas[poolAgent] = replicas;

    /// <summary>Forgets a pool's live count; its stored replica count applies again.</summary>
    public void Forget(string poolAgent) => _replicas.TryRemove(poolAgent, out _);

    /// <summary>The live replica count of a pool agent, or null when none was set.</summary>
    public int? Replicas(string poolAgent) => _replicas.TryGetValue(poolAgent, out var count) ? count : null;

    /// <summary>The agents with each pool's live replica count in its spec; other agents unchanged.</summary>
    public IReadOnlyList<AgentRecord> Apply(IReadOnlyList<AgentRecord> agents)
    {
        if (_replicas.IsEmpty)
        {
            return agents;
        }

        var scaled = new AgentRecord[agents.Count];
        for (var i = 0; i < agents.Count; i++)
        {
            var agent = agents[i];
            scaled[i] = agent.Plugin is not null && _replicas.TryGetValue(agent.Name, out var count) && count != agent.Spec.Replicas
                ? agent with { Spec = agent.Spec with { Replicas = count } }
                : agent;
        }

        return scaled;
    }
}
