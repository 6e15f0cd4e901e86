using Berth.Core.Agents;

namespace Berth.Server.Reconciliation;

/// <summary>What one pass read from the store at its start: desired agents by name and their stored instances.</summary>
internal sealed class DesiredAgents(IReadOnlyList<AgentRecord> agents, IReadOnlyList<InstanceRecord> instances)
{
    private readonly Dictionary<string, AgentRecord> _agents = agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, List<InstanceRecord>> _stored = ByAgent(instances);

    public IReadOnlyList<AgentRecord> Agents { get; } = agents;

    public bool Contains(string agentName) => _agents.ContainsKey(agentName);

    /// <summary>The agent's stored instances; shared, not to be changed.</summary>
    public IReadOnlyList<InstanceRecord> Stored(string agentName) => _stored.TryGetValue(agentName, out var stored) ? stored : [];

    /// <summary>Why the agent may not start yet (a dependency not defined or not healthy), or null when it may.</summary>
    public string? WaitingFor(AgentRecord agent)
    {
        foreach (var dependency in agent.Spec.DependsOn)
        {
            if (!_agents.ContainsKey(dependency))
            {
                return $"waiting for agent '{dependency}', which is not defined; apply it";
            }

            if (!Stored(dependency).Any(i => i.State == InstanceState.Running))
            {
                return $"waiting for agent '{dependency}' to be healthy";
            }
        }

        return null;
    }

    private static Dictionary<string, List<InstanceRecord>> ByAgent(IReadOnlyList<InstanceRecord> instances)
    {
        var byAgent = new Dictionary<string, List<InstanceRecord>>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            if (!byAgent.TryGetValue(instance.AgentName, out var ofAgent))
            {
                byAgent[instance.AgentName] = ofAgent = [];
            }

            ofAgent.Add(instance);
        }

        return byAgent;
    }
}
