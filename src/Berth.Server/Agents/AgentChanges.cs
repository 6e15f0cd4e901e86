namespace Berth.Server.Agents;

/// <summary>
/// An in-process signal raised after an agent's stored state changed (its spec, desired state, instances or events), so
/// watchers such as MCP resource subscriptions learn of it without polling the store. Raised after the write, so a listener
/// that reads the store sees the change. Listeners run on the writer's thread: they must only take note and return.
/// Changes made by another server sharing the store are not seen.
/// </summary>
internal sealed class AgentChanges
{
    /// <summary>Raised with the agent's name and whether the set of agents changed (one added or forgotten).</summary>
    public event Action<string, bool>? Changed;

    public void Raise(string agentName, bool listChanged = false) => Changed?.Invoke(agentName, listChanged);
}
