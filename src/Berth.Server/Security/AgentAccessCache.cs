using System.Collections.Concurrent;
using System.Collections.Frozen;
using Berth.Core.Agents;
using Berth.Core.Storage;

namespace Berth.Server.Security;

/// <summary>
/// Which agents and capabilities each agent may call through the proxy, and which topics it may publish to and which models it may call, from its
/// CURRENT spec's <c>access.agents</c>, <c>access.capabilities</c>, <c>access.publish</c> and <c>access.models</c>. Every reconciler
/// pass refreshes it with the records the pass read anyway, so a changed spec takes effect by the next pass; an entry
/// older than <see cref="Lifetime"/> is read from the store again, so a stalled reconciler cannot keep access alive
/// longer than that. A removed (or removing) agent may call nothing.
/// </summary>
internal sealed class AgentAccessCache(IAgentStore agents, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private readonly SingleFlight<string, Entry> _reads = new(StringComparer.Ordinal);

    /// <summary>True when the agent <paramref name="caller"/> may call the agent <paramref name="target"/>.</summary>
    public async ValueTask<bool> MayCallAsync(string caller, string target, CancellationToken cancellationToken) =>
        (await EntryAsync(caller, cancellationToken)).Targets.Contains(target);

    /// <summary>True when the agent <paramref name="caller"/> may call the capability <paramref name="capability"/> (<c>/capabilities/{name}/…</c>).</summary>
    public async ValueTask<bool> MayCallCapabilityAsync(string caller, string capability, CancellationToken cancellationToken) =>
        (await EntryAsync(caller, cancellationToken)).Capabilities.Contains(capability);

    /// <summary>True when the agent <paramref name="caller"/> may publish to the topic <paramref name="topic"/> (<c>access.publish</c>).</summary>
    public async ValueTask<bool> MayPublishAsync(string caller, string topic, CancellationToken cancellationToken) =>
        (await EntryAsync(caller, cancellationToken)).Topics.Contains(topic);

    /// <summary>The model grants of <paramref name="caller"/>'s spec (<c>access.models</c>): <c>ENDPOINT</c> or <c>ENDPOINT/MODEL</c>.</summary>
    public async ValueTask<FrozenSet<string>> ModelGrantsAsync(string caller, CancellationToken cancellationToken) =>
        (await EntryAsync(caller, cancellationToken)).Models;

    private async ValueTask<Entry> EntryAsync(string caller, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(caller, out var entry) || time.GetUtcNow() - entry.ReadAt >= Lifetime)
        {
            // Calls of one agent that miss together share one read of its record.
            entry = await _reads.RunAsync(caller, ReadAsync, cancellationToken);
        }

        return entry;
    }

    private async Task<Entry> ReadAsync(string caller)
    {
        var now = time.GetUtcNow();
        var entry = Allowed(await agents.GetAsync(caller, CancellationToken.None), now);
        _entries[caller] = entry;
        return entry;
    }

    /// <summary>Refreshes the entries of every agent a reconciler pass read, and drops agents that no longer exist.</summary>
    public void Remember(IReadOnlyList<AgentRecord> all)
    {
        var now = time.GetUtcNow();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in all)
        {
            names.Add(agent.Name);
            _entries[agent.Name] = Allowed(agent, now);
        }

        foreach (var name in _entries.Keys.Where(n => !names.Contains(n)))
        {
            _entries.TryRemove(name, out _);
        }
    }

    /// <summary>Forgets an agent at once (it is being removed).</summary>
    public void Forget(string agentName) => _entries.TryRemove(agentName, out _);

    private static Entry Allowed(AgentRecord? agent, DateTimeOffset now) =>
        agent is null || agent.DesiredState == DesiredState.Removed
            ? new Entry(FrozenSet<string>.Empty, FrozenSet<string>.Empty, FrozenSet<string>.Empty, FrozenSet<string>.Empty, now)
            : new Entry(
                (agent.Spec.Access?.Agents ?? []).ToFrozenSet(StringComparer.Ordinal),
                (agent.Spec.Access?.Capabilities ?? []).ToFrozenSet(StringComparer.Ordinal),
                (agent.Spec.Access?.Publish ?? []).ToFrozenSet(StringComparer.Ordinal),
                (agent.Spec.Access?.Models ?? []).ToFrozenSet(StringComparer.Ordinal),
                now);

    private sealed record Entry(FrozenSet<string> Targets, FrozenSet<string> Capabilities, FrozenSet<string> Topics, FrozenSet<string> Models, DateTimeOffset ReadAt);
}
