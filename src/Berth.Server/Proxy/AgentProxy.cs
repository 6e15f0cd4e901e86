using Berth.Server.A2a;
using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Server.Audit;
using Berth.Server.Reconciliation;
using Berth.Server.Requests;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Proxy;

/// <summary>
/// Maps <c>/agents/{name}/{**path}</c>: every method is forwarded to a healthy instance of the agent, through the store when the
/// agent's persistence is on (except streams: WebSocket upgrades and gRPC calls, see <see cref="StreamRequests"/>).
/// </summary>
internal static class AgentProxy
{
    public static RouteGroupBuilder MapAgentProxy(this IEndpointRouteBuilder app)
    {
        var proxy = app.MapGroup("/agents").WithTags("Proxy").ExcludeFromDescription().RequireAuthorization(BerthPolicies.AgentProxy)
            .NotAudited("a call to an agent is the agent's business, not a change to Berth (denied calls are still audited)");
        proxy.Map("/{name}/{**path}", ForwardAsync);
        return proxy;
    }

    /// <summary>The proxy's handler; <see cref="InProcessProxy"/> runs it too, for callers that are not HTTP clients of the proxy.</summary>
    internal static async Task<IResult> ForwardAsync(
        string name, HttpContext context, InstanceDirectory directory, IAgentStore agents, AgentForwarder forwarder, DurableProxy durable,
        AgentCardProxy cards, ProxyTraffic traffic)
    {
        if (ProxyTarget.AgentRelative(context) is not { } target)
        {
            return Problems.Problems.BadRequest(
                $"The path names agent '{name}' but holds a '.' or '..' segment (perhaps percent-encoded), which could lead elsewhere. Send the path with dot segments resolved.");
        }

        // A plugin's instances are called through the plugin invoker, which checks schemas and records calls.
        if (Plugins.PluginPoolNames.IsPluginAgent(name))
        {
            return Problems.Problems.AgentNotFound(name);
        }

        var route = directory.Find(name);
        if (route is null)
        {
            // Applied a moment ago: the reconciler has not published its route yet. A durable agent queues the request.
            var agent = await agents.GetAsync(name, context.RequestAborted);
            if (agent is null)
            {
                return Problems.Problems.AgentNotFound(name);
            }

            if (!agent.Spec.Persistence.Enabled)
            {
                return Unavailable(name, "it was applied a moment ago and has not started yet");
            }

            route = new AgentRoute(name, AgentState.Pending, [], agent.Spec.Persistence, agent.Spec.Protocol, agent.Spec.Mcp?.Path, agent.Spec.A2a?.Card);
        }

        ProxyMetrics.Track(context, name);
        traffic.Record(name);

        // An A2A card is answered by Berth with its URLs leading back through the proxy; every other call is forwarded.
        if (AgentCardProxy.IsCardRequest(context, route, target))
        {
            return route.Next() is { } cardEndpoint
                ? await cards.ServeAsync(context, route, cardEndpoint)
                : Unavailable(name, $"it has no healthy instance to read its A2A card from (state: {route.State.ToString().ToLowerInvariant()})");
        }

        // A WebSocket or a gRPC call is a stream with no end to store: it takes the streaming path even with persistence on.
        if (route.Persistence.Enabled && !StreamRequests.IsStream(context))
        {
            return await durable.ForwardAsync(context, route, target);
        }

        var endpoint = route.Next();
        if (endpoint is null)
        {
            return Unavailable(name, $"it has no healthy instance (state: {route.State.ToString().ToLowerInvariant()})");
        }

        return await forwarder.ForwardAsync(context, route, endpoint, target);
    }

    private static RetryAfterResult Unavailable(string name, string why)
    {
        var problem = Problems.Problems.Problem(
            StatusCodes.Status503ServiceUnavailable,
            "Agent unavailable",
            Problems.Problems.UnavailableType,
            $"Agent '{name}' cannot take requests: {why}. Check 'berth describe agent {name}', or retry shortly.");
        return new RetryAfterResult(problem, TimeSpan.FromSeconds(1));
    }
}
