using System.Collections.Concurrent;
using Berth.Core.Agents;
using Berth.Core.Specs;

namespace Berth.Server.Reconciliation;

/// <summary>
/// An agent's healthy endpoints and how its requests are kept. Endpoints are picked by least outstanding requests, ties
/// broken round-robin; the counts carry over from one snapshot to the next so load stays spread.
/// </summary>
internal sealed class AgentRoute(
    string agentName,
    AgentState state,
    IReadOnlyList<Uri> healthy,
    PersistenceSpec? persistence = null,
    AgentProtocol protocol = AgentProtocol.Http,
    string? mcpPath = null,
    string? a2aCardPath = null)
{
    // Created on first use or taken over from the previous snapshot: a pass builds a route per agent every second, and an
    // empty ConcurrentDictionary per agent was a third of what an idle pass allocated.
    private ConcurrentDictionary<Uri, int>? _outstanding;
    private int _next;

    public string AgentName { get; } = agentName;

    public AgentState State { get; } = state;

    public IReadOnlyList<Uri> Healthy { get; } = healthy;

    /// <summary>The agent's persistence settings (defaults when the route was built without a spec).</summary>
    public PersistenceSpec Persistence { get; } = persistence ?? new PersistenceSpec();

    /// <summary>What the agent's instances speak: HTTP/1.1 or h2c.</summary>
    public AgentProtocol Protocol { get; } = protocol;

    /// <summary>Where the agent serves MCP (its spec's <c>mcp.path</c>), for the MCP gateway; null when it does not.</summary>
    public string? McpPath { get; } = mcpPath;

    /// <summary>Where the agent serves its A2A agent card (its spec's <c>a2a.card</c>), which the proxy rewrites; null when it does not.</summary>
    public string? A2aCardPath { get; } = a2aCardPath;

    /// <summary>Requests in flight to <paramref name="endpoint"/> through this route.</summary>
    public int Outstanding(Uri endpoint) => Volatile.Read(ref _outstanding)?.GetValueOrDefault(endpoint) ?? 0;

    /// <summary>The healthy endpoint with the fewest requests in flight, other than <paramref name="except"/>, or null when none is healthy.</summary>
    public Uri? Next(Uri? except = null)
    {
        var endpoints = Healthy;
        if (endpoints.Count == 0)
        {
            return null;
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)endpoints.Count);
        Uri? best = null;
        var fewest = int.MaxValue;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[(start + i) % endpoints.Count];
            var load = Outstanding(endpoint);
            if (endpoint != except && load < fewest)
            {
                (best, fewest) = (endpoint, load);
            }
        }

        return best;
    }

    /// <summary>Counts a request in flight to <paramref name="endpoint"/> until the returned handle is disposed.</summary>
    public InFlight Enter(Uri endpoint)
    {
        Counts().AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        return new InFlight(this, endpoint);
    }

    /// <summary>Whether <paramref name="other"/> sends requests where this does: same state, healthy endpoints, persistence, protocol, MCP path and card path.</summary>
    public bool SameTargets(AgentRoute other) =>
        State == other.State && Protocol == other.Protocol && Persistence == other.Persistence && McpPath == other.McpPath &&
        A2aCardPath == other.A2aCardPath && Healthy.SequenceEqual(other.Healthy);

    /// <summary>Carries the counts and the round-robin position over from the previous snapshot.</summary>
    public AgentRoute ContinueFrom(AgentRoute previous)
    {
        _outstanding = previous.Counts();
        _next = Volatile.Read(ref previous._next);
        return this;
    }

    /// <summary>One request in flight; disposing it ends the count.</summary>
    public readonly struct InFlight(AgentRoute route, Uri endpoint) : IDisposable
    {
        public void Dispose() => route.Counts().AddOrUpdate(endpoint, 0, (_, n) => Math.Max(0, n - 1));
    }

    private ConcurrentDictionary<Uri, int> Counts() => LazyInitializer.EnsureInitialized(ref _outstanding);
}
