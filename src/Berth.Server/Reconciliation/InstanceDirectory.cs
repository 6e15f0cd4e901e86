using System.Collections.Frozen;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Where each agent can be reached right now: the endpoints of its healthy instances. The reconciler
/// publishes a fresh snapshot after every pass; the proxy reads it without touching the store.
/// </summary>
internal sealed class InstanceDirectory
{
    private FrozenDictionary<string, AgentRoute> _routes = FrozenDictionary<string, AgentRoute>.Empty;

    /// <summary>Raised after every publish, so waiting requests can look again.</summary>
    public event Action? Published;

    /// <summary>The route to an agent, or null when the agent is unknown.</summary>
    public AgentRoute? Find(string agentName) => _routes.GetValueOrDefault(agentName);

    /// <summary>Replaces the whole snapshot.</summary>
    public void Publish(IEnumerable<AgentRoute> routes)
    {
        var previous = _routes;
        _routes = routes
            .Select(route => previous.TryGetValue(route.AgentName, out var old) ? route.ContinueFrom(old) : route)
            .ToFrozenDictionary(r => r.AgentName, StringComparer.Ordinal);
        Published?.Invoke();
    }
}
