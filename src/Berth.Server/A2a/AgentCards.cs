using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Reconciliation;

namespace Berth.Server.A2a;

/// <summary>
/// The A2A cards of every agent that declares <c>a2a</c>, read from a healthy instance and kept for <see cref="KeepFor"/>
/// (forgotten at once when the agent changes: a new spec, instance or state), and the card's skills as capability names.
/// Failures are not kept, so an agent that recovers shows its card on the next read. This is the seam the capability
/// registry uses: <see cref="SkillsOfAsync"/> gives an agent's A2A skills as capabilities it provides.
/// </summary>
internal sealed class AgentCards
{
    /// <summary>How long a card read from an agent is reused: 30 seconds.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(30);

    private const int ParallelReads = 8;
    private readonly ConcurrentDictionary<string, Kept> _kept = new(StringComparer.Ordinal);
    private readonly IAgentStore _agents;
    private readonly InstanceDirectory _directory;
    private readonly AgentCardFetcher _fetcher;
    private readonly TimeProvider _time;

    public AgentCards(IAgentStore agents, InstanceDirectory directory, AgentCardFetcher fetcher, AgentChanges changes, TimeProvider time)
    {
        (_agents, _directory, _fetcher, _time) = (agents, directory, fetcher, time);
        changes.Changed += (name, _) => _kept.TryRemove(name, out var _);
    }

    /// <summary>Every A2A agent's card, rewritten to <paramref name="proxyBase"/> (agent name to <c>{berth}/agents/{name}</c>), by agent name.</summary>
    public async Task<IReadOnlyList<AgentCardView>> ListAsync(Func<string, string> proxyBase, CancellationToken cancellationToken)
    {
        var a2a = (await _agents.ListAsync(cancellationToken)).Where(a => a.Spec.A2a is not null).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var views = new AgentCardView[a2a.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, a2a.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var agent = a2a[i];
                var cardPath = agent.Spec.A2a!.Card;
                var (card, error, at) = await ReadAsync(agent.Name, cardPath, ct);
                var basePath = proxyBase(agent.Name);
                var skills = card is null ? [] : SkillCapabilities.Of(card);
                if (card is not null)
                {
                    AgentCardRewriter.Rewrite(card, basePath);
                }

                views[i] = new AgentCardView(agent.Name, basePath + cardPath, card, skills, error, at);
            });
        return views;
    }

    /// <summary>
    /// The capability names of <paramref name="agentName"/>'s A2A skills (<see cref="SkillCapabilities"/>); empty when the agent
    /// declares no <c>a2a</c>, is unknown, or its card cannot be read right now.
    /// </summary>
    public async Task<IReadOnlyList<string>> SkillsOfAsync(string agentName, CancellationToken cancellationToken)
    {
        if (await _agents.GetAsync(agentName, cancellationToken) is not { Spec.A2a: { } a2a })
        {
            return [];
        }

        var (card, _, _) = await ReadAsync(agentName, a2a.Card, cancellationToken);
        return card is null ? [] : SkillCapabilities.Of(card);
    }

    private async Task<(JsonObject? Card, string? Error, DateTimeOffset? At)> ReadAsync(string agentName, string cardPath, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_kept.TryGetValue(agentName, out var kept) && kept.CardPath == cardPath && now - kept.At < KeepFor)
        {
            return (Fresh(kept.Json), null, kept.At);
        }

        var route = _directory.Find(agentName);
        if (route?.Next() is not { } endpoint)
        {
            return (null, $"the agent has no healthy instance to read the card from (state: {(route?.State.ToString().ToLowerInvariant() ?? "unknown")})", null);
        }

        AgentCardFetch fetch;
        using (route.Enter(endpoint))
        {
            fetch = await _fetcher.FetchAsync(endpoint, cardPath, route.Protocol, null, cancellationToken);
        }

        if (fetch.Card is null)
        {
            return (null, fetch.Error, null);
        }

        _kept[agentName] = new Kept(cardPath, fetch.Card.ToJsonString(), now);
        return (fetch.Card, null, now);
    }

    // A JsonObject is not safe to read from two threads (it materialises lazily): the kept card is text, parsed per reader.
    private static JsonObject Fresh(string json) => JsonNode.Parse(json)!.AsObject();

    private sealed record Kept(string CardPath, string Json, DateTimeOffset At);
}
