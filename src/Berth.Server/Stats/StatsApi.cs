using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Runtimes;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Stats;

/// <summary>
/// <c>GET /api/v1/agents/{name}/stats</c> and <c>GET /api/v1/stats</c>: CPU, memory and (where the runtime can tell) network of
/// each running instance, sampled now. Reads, so viewers may call them.
/// </summary>
internal static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{name}/stats", AgentAsync).WithTags("Agents").WithName("AgentStats").RequireAuthorization(BerthPolicies.Viewer);
        api.MapGet("/stats", AllAsync).WithTags("Agents").WithName("AllStats").RequireAuthorization(BerthPolicies.Viewer);
        return api;
    }

    private static async Task<Results<Ok<AgentStats>, ProblemHttpResult>> AgentAsync(
        string name, IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, CancellationToken ct)
    {
        // A plugin pool's agent is the plugin's, not a user's: by name, it does not exist.
        if (await agents.GetAsync(name, ct) is not { Plugin: null } agent)
        {
            return Problems.Problems.AgentNotFound(name);
        }

        var sampled = await StatsSampler.SampleAsync([agent], instances, runtimes, ct);
        return TypedResults.Ok(sampled[0]);
    }

    private static async Task<Ok<StatsOverview>> AllAsync(IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, CancellationToken ct) =>
        TypedResults.Ok(new StatsOverview(await StatsSampler.SampleAsync(await agents.ListAsync(ct), instances, runtimes, ct)));
}
