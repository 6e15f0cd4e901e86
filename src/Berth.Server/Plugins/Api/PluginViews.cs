using Berth.Client.Contracts;
using Berth.Core.Plugins;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Runtimes;
using Semver;

namespace Berth.Server.Plugins.Api;

/// <summary>Installed versions as the API shows them: one row per plugin, or every version of one with its pool.</summary>
internal sealed class PluginViews(IPluginStore store, IAgentStore agents, IInstanceStore instances, IEventStore events, RuntimeCatalog runtimes)
{
    private const int RecentEvents = 20;

    public async Task<List<PluginSummary>> ListAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(null, cancellationToken))
            .GroupBy(p => p.Id, StringComparer.Ordinal)
            .Select(g => Newest(g))
            .Select(versions => new PluginSummary
            {
                Id = versions[0].Id,
                Versions = [.. versions.Select(v => v.Version)],
                Description = versions[0].Spec.Description,
                Capabilities = [.. versions[0].Spec.Capabilities.Select(c => c.Name)],
                Tags = versions[0].Spec.Tags,
            })
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

    public async Task<PluginDetail?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var versions = Newest(await store.ListAsync(id, cancellationToken));
        if (versions.Count == 0)
        {
            return null;
        }

        var views = new List<PluginVersionView>();
        foreach (var plugin in versions)
        {
            var pool = PluginPools.AgentOf(plugin);
            var agent = await agents.GetAsync(pool, cancellationToken);
            views.Add(new PluginVersionView
            {
                Plugin = plugin,
                Pool = agent is null ? null : AgentViews.ToView(agent, await instances.ListAsync(pool, cancellationToken), runtimes),
                Events = agent is null ? [] : [.. (await events.ListAsync(pool, 0, 1_000, cancellationToken)).TakeLast(RecentEvents)],
            });
        }

        return new PluginDetail { Id = id, Versions = views };
    }

    /// <summary>Versions newest first, by semver precedence.</summary>
    public static List<PluginRecord> Newest(IEnumerable<PluginRecord> versions) =>
        [.. versions.OrderByDescending(p => SemVersion.TryParse(p.Version, SemVersionStyles.Strict, out var v) ? v : new SemVersion(0), SemVersion.PrecedenceComparer)];
}
