using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.A2a;
using Berth.Server.Plugins;
using Berth.Server.Reconciliation;
using Berth.Server.Security;
using Berth.Server.Workflows.Resilience;
using Polly.CircuitBreaker;

namespace Berth.Server.Capabilities;

/// <summary>
/// Every capability declared by applied agents and installed plugin versions, with each provider's live health. The
/// declarations are read from the store at most once per <see cref="Lifetime"/> (calls that miss together share one read),
/// because routing asks on every call; health is read live from the routes and breakers each time, so it is never stale.
/// Each source is one method (<see cref="AgentProvidersAsync"/>, <see cref="SkillProvidersAsync"/>,
/// <see cref="PluginProvidersAsync"/>). Breakers are the workflow engine's <see cref="CircuitBreakers"/>, keyed by
/// provider id (<c>agent:NAME</c>, <c>plugin:ID@VERSION</c>): a plugin invoker that guards its calls with
/// <c>CircuitBreakers.For("plugin:ID@VERSION")</c> shows up here with no further wiring.
/// </summary>
internal sealed class CapabilityRegistry(
    IAgentStore agents, IPluginStore plugins, AgentCards cards, InstanceDirectory directory, PluginPools pools, CircuitBreakers breakers, TimeProvider time)
{
    /// <summary>How long a read of the declarations serves: an agent applied now is routed to within this (and its first health probe).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a read waits for A2A cards it does not hold yet. Cards are kept for <see cref="AgentCards.KeepFor"/>, so this
    /// bounds the wait a slow card adds to a routed call; a card not read in time adds its skills on a later read.
    /// </summary>
    public static readonly TimeSpan CardWait = TimeSpan.FromSeconds(1);

    /// <summary>What an A2A skill's declaration says it is, in answers.</summary>
    public const string SkillDescription = "A2A skill from the agent's card";

    private readonly SingleFlight<int, Snapshot> _reads = new();
    private volatile Snapshot? _snapshot;

    /// <summary>Every provider of every capability, ordered by capability name, then kind and provider name.</summary>
    public async Task<IReadOnlyList<CapabilityProvider>> ListAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || time.GetUtcNow() - snapshot.ReadAt >= Lifetime)
        {
            snapshot = await _reads.RunAsync(0, _ => ReadAsync(), cancellationToken);
        }

        return snapshot.Providers;
    }

    /// <summary>The providers of the capability <paramref name="name"/> (empty when nothing declares it).</summary>
    public async Task<IReadOnlyList<CapabilityProvider>> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).Where(p => p.Capability.Name == name).ToList();

    /// <summary>How <paramref name="provider"/> stands now.</summary>
    public ProviderHealth HealthOf(CapabilityProvider provider)
    {
        var breaker = BreakerName(breakers.StateOf(provider.Id));
        if (provider.Plugin is { } plugin)
        {
            var pool = pools.Route(plugin);
            return new ProviderHealth(ProviderHealth.Available, null, pool?.Healthy.Count ?? 0, Outstanding(pool), breaker);
        }

        var route = directory.Find(provider.Name);
        var healthy = route?.Healthy.Count ?? 0;
        var state = (route?.State ?? AgentState.Pending).ToString().ToLowerInvariant();
        return new ProviderHealth(healthy > 0 ? ProviderHealth.Healthy : ProviderHealth.Unavailable, state, healthy, Outstanding(route), breaker);
    }

    /// <summary>Requests in flight through <paramref name="route"/> to its healthy instances.</summary>
    public static int Outstanding(AgentRoute? route) => route is null ? 0 : route.Healthy.Sum(route.Outstanding);

    /// <summary>How a breaker's state is spelled in answers: closed, open, half-open or isolated (closed when none exists yet).</summary>
    public static string BreakerName(CircuitState? state) => state switch
    {
        null or CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "isolated",
    };

    private async Task<Snapshot> ReadAsync()
    {
        var now = time.GetUtcNow();
        var applied = (await agents.ListAsync(CancellationToken.None)).Where(a => a.DesiredState != DesiredState.Removed).ToList();
        var providers = AgentProviders(applied)
            .Concat(await SkillProvidersAsync(applied))
            .Concat(await PluginProvidersAsync(CancellationToken.None))
            .OrderBy(p => p.Capability.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Kind, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var snapshot = new Snapshot(providers, now);
        _snapshot = snapshot;
        return snapshot;
    }

    // Applied agents only: ListAsync leaves plugin pool agents out, and an agent being removed provides nothing.
    private static IEnumerable<CapabilityProvider> AgentProviders(IReadOnlyList<AgentRecord> applied) =>
        applied.SelectMany(a => a.Spec.Capabilities.Select(c => CapabilityProvider.ForAgent(a.Name, c)));

    // The skills on the cards of agents that declare a2a, except those the spec already declares (its declaration says more).
    private async Task<IEnumerable<CapabilityProvider>> SkillProvidersAsync(IReadOnlyList<AgentRecord> applied)
    {
        var a2a = applied.Where(a => a.Spec.A2a is not null).ToList();
        if (a2a.Count == 0)
        {
            return [];
        }

        using var wait = new CancellationTokenSource(CardWait, time);
        var skills = await Task.WhenAll(a2a.Select(a => SkillsOrNoneAsync(a.Name, wait.Token)));
        return a2a.Zip(skills).SelectMany(pair =>
        {
            var (agent, names) = pair;
            var declared = agent.Spec.Capabilities.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            return names.Where(n => !declared.Contains(n))
                .Select(n => CapabilityProvider.ForAgent(agent.Name, new DeclaredCapability { Name = n, Description = SkillDescription }));
        });
    }

    private async Task<IReadOnlyList<string>> SkillsOrNoneAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            return await cards.SkillsOfAsync(agent, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    private async Task<IEnumerable<CapabilityProvider>> PluginProvidersAsync(CancellationToken cancellationToken) =>
        (await plugins.ListAsync(null, cancellationToken))
            .SelectMany(p => p.Spec.Capabilities.Select(c => CapabilityProvider.ForPlugin(p, c)));

    private sealed record Snapshot(IReadOnlyList<CapabilityProvider> Providers, DateTimeOffset ReadAt);
}
