using System.Collections.Frozen;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Where each agent can be reached right now: the endpoints of its healthy instances. The reconciler publishes each agent's
/// route as soon as its step has changed it (the store already shows that state, so a client told "running" must be able to
/// reach it), and a fresh snapshot of all after every pass; the proxy reads it without touching the store.
/// </summary>
internal sealed class InstanceDirectory
{
    private readonly Lock _gate = new();
    private FrozenDictionary<string, AgentRoute> _routes = FrozenDictionary<string, AgentRoute>.Empty;

    /// <summary>Raised after every publish, so waiting requests can look again.</summary>
    public event Action? Published;

    /// <summary>The route to an agent, or null when the agent is unknown.</summary>
    public AgentRoute? Find(string agentName) => _routes.GetValueOrDefault(agentName);

    /// <summary>Every agent's route in the current snapshot.</summary>
    public IEnumerable<AgentRoute> Routes => _routes.Values;

    /// <summary>Replaces the whole snapshot.</summary>
    public void Publish(IEnumerable<AgentRoute> routes)
    {
        lock (_gate)
        {
            var previous = _routes;
            _routes = routes
                .Select(route => previous.TryGetValue(route.AgentName, out var old) ? route.ContinueFrom(old) : route)
                .ToFrozenDictionary(r => r.AgentName, StringComparer.Ordinal);
        }

        Published?.Invoke();
    }

    /// <summary>Publishes one agent's route at once when it leads elsewhere than the published one; an unchanged route costs a lookup.</summary>
    public void Update(AgentRoute route)
    {
        lock (_gate)
        {
            var previous = _routes;
            var known = previous.TryGetValue(route.AgentName, out var old);
            if (known && old!.SameTargets(route))
            {
                return;
            }

            var next = new Dictionary<string, AgentRoute>(previous, StringComparer.Ordinal)
            {
                [route.AgentName] = known ? route.ContinueFrom(old!) : route,
            };
            _routes = next.ToFrozenDictionary(StringComparer.Ordinal);
        }

        Published?.Invoke();
    }
}
