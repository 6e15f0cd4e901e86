using System.Collections.Frozen;
using Berth.Core.Agents;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Where each agent can be reached right now: the endpoints of its healthy instances. The reconciler
/// publishes a fresh snapshot after every pass; the proxy reads it without touching the store.
/// </summary>
internal sealed class InstanceDirectory
{
    private FrozenDictionary<string, AgentRoute> _routes = FrozenDictionary<string, AgentRoute>.Empty;

    /// <summary>The route to an agent, or null when the agent is unknown.</summary>
    public AgentRoute? Find(string agentName) => _routes.GetValueOrDefault(agentName);

    /// <summary>Replaces the whole snapshot.</summary>
    public void Publish(IEnumerable<AgentRoute> routes)
    {
        var previous = _routes;
        _routes = routes
            .Select(route => previous.TryGetValue(route.AgentName, out var old) ? route.ContinueFrom(old) : route)
            .ToFrozenDictionary(r => r.AgentName, StringComparer.Ordinal);
    }
}

/// <summary>An agent's healthy endpoints, picked round-robin.</summary>
internal sealed class AgentRoute(string agentName, AgentState state, IReadOnlyList<Uri> healthy)
{
    private int _next;

    public string AgentName { get; } = agentName;

    public AgentState State { get; } = state;

    public IReadOnlyList<Uri> Healthy { get; } = healthy;

    /// <summary>The next healthy endpoint, or null when none is healthy.</summary>
    public Uri? Next()
    {
        var endpoints = Healthy;
        if (endpoints.Count == 0)
        {
            return null;
        }

        var index = (uint)Interlocked.Increment(ref _next) % (uint)endpoints.Count;
        return endpoints[(int)index];
    }

    /// <summary>Carries the round-robin position over from the previous snapshot so load stays spread.</summary>
    public AgentRoute ContinueFrom(AgentRoute previous)
    {
        _next = Volatile.Read(ref previous._next);
        return this;
    }
}
