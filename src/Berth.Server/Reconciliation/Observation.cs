using Berth.Core.Runtime;

namespace Berth.Server.Reconciliation;

/// <summary>What the runtime drivers reported in one pass, and which drivers answered at all.</summary>
internal sealed class Observation
{
    private readonly Dictionary<string, RuntimeInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<IAgentRuntime, IReadOnlyList<RuntimeInstance>> _byDriver = [];

    public void Add(IAgentRuntime driver, IReadOnlyList<RuntimeInstance> instances)
    {
        _byDriver[driver] = instances;
        foreach (var instance in instances)
        {
            _instances[instance.InstanceId] = instance;
        }
    }

    public bool Answered(IAgentRuntime driver) => _byDriver.ContainsKey(driver);

    /// <summary>The instances one driver reported; empty when it did not answer.</summary>
    public IReadOnlyList<RuntimeInstance> From(IAgentRuntime driver) => _byDriver.GetValueOrDefault(driver) ?? [];

    public RuntimeInstance? Find(string instanceId) => _instances.GetValueOrDefault(instanceId);

    public IReadOnlyList<RuntimeInstance> ForAgent(string agentName) =>
        _instances.Values.Where(i => i.AgentName == agentName).ToList();
}
