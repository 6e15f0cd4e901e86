using Berth.Client;

namespace Berth.Cli.Commands.Bench;

/// <summary>
/// Samples an agent through the server's stats route (<c>GET /api/v1/agents/{name}/stats</c>): CPU and memory summed over its
/// running instances; no sample while it has none. Errors reach the bench runner, which stops sampling and says why.
/// </summary>
internal sealed class StatsResourceSampler(BerthClient client) : IAgentResourceSampler
{
    public async Task<ResourceSample?> SampleAsync(string agent, CancellationToken cancellationToken)
    {
        var stats = await client.GetAgentStatsAsync(agent, cancellationToken);
        return stats.Instances.Count == 0
            ? null
            : new ResourceSample(stats.Instances.Sum(i => i.CpuPercent), stats.Instances.Sum(i => i.MemoryBytes));
    }
}
