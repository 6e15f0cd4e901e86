using Berth.Client.Contracts;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.A2a;

/// <summary>The <c>/api/v1/agent-cards</c> route: every A2A agent's card, its URLs leading through Berth (viewer).</summary>
internal static class AgentCardsApi
{
    public static RouteGroupBuilder MapAgentCardsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/agent-cards", ListAsync).WithTags("Agents").WithName("ListAgentCards").RequireAuthorization(BerthPolicies.Viewer)
            .WithDescription("The A2A agent card of every agent that declares a2a, read from a healthy instance (kept 30s) with its endpoint URLs rewritten to Berth's proxy; an agent whose card cannot be read is listed with the error.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AgentCardView>>> ListAsync(HttpRequest request, AgentCards cards, AgentCallback callback, CancellationToken ct) =>
        TypedResults.Ok(await cards.ListAsync(name => AgentCardProxy.ProxyBase(request, callback, name), ct));
}
