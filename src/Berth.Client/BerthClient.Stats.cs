using Berth.Core.Runtime;

namespace Berth.Client;

/// <summary>The stats routes: CPU, memory and network of running instances, sampled by the server when asked.</summary>
public sealed partial class BerthClient
{
    /// <summary>
    /// Samples every running instance of <paramref name="agent"/> (<c>GET /api/v1/agents/{name}/stats</c>); the answer takes about
    /// half a second, the window CPU is measured over. An agent with nothing running has no instances; an unknown one is a 404.
    /// </summary>
    public Task<AgentStats> GetAgentStatsAsync(string agent, CancellationToken cancellationToken) =>
        SendAsync<AgentStats>(HttpMethod.Get, $"{AgentPath(agent)}/stats", null, cancellationToken);

    /// <summary>Samples the running instances of every agent (<c>GET /api/v1/stats</c>), agents by name.</summary>
    public Task<StatsOverview> GetAllStatsAsync(CancellationToken cancellationToken) =>
        SendAsync<StatsOverview>(HttpMethod.Get, "api/v1/stats", null, cancellationToken);
}
