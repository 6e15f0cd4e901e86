using Berth.Core.Agents;

namespace Berth.Server.Reconciliation;

/// <summary>What one pass read from the store at its start: desired agents by name and their stored instances.</summary>
internal sealed class DesiredAgents(IReadOnlyList<AgentRecord> agents, IReadOnlyList<InstanceRecord> instances)
{
    private readonly Dictionary<string, AgentRecord> _agents = agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
    private readonly ILookup<string, InstanceRecord> _stored = instances.ToLookup(i => i.AgentName, StringComparer.Ordinal);

    public IReadOnlyList<AgentRecord> Agents { get; } = agents;

    public bool Contains(string agentName) => _agents.ContainsKey(agentName);

    public IEnumerable<InstanceRecord> Stored(string agentName) => _stored[agentName];

    /// <summary>Why the agent may not start yet (a dependency not defined or not healthy), or null when it may.</summary>
    public string? WaitingFor(AgentRecord agent)
    {
        foreach (var dependency in agent.Spec.DependsOn)
        {
            if (!_agents.ContainsKey(dependency))
            {
                return $"waiting for agent '{dependency}', which is not defined; apply it";
            }

            if (!_stored[dependency].Any(i => i.State == InstanceState.Running))
            {
                return $"waiting for agent '{dependency}' to be healthy";
            }
        }

        return null;
    }
}
