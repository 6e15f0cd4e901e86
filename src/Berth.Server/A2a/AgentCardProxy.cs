using Berth.Server.Reconciliation;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Server.A2a;

/// <summary>
/// The proxy's one hook for A2A: a GET of the card path an agent declares (<c>a2a.card</c>) is answered by Berth itself with
/// the card read from a healthy instance and its endpoint URLs rewritten to Berth's proxy (<see cref="AgentCardRewriter"/>).
/// Only that path and method are touched; every other request (the A2A calls themselves) is forwarded as usual. The card
/// read is discovery, like a health probe: it is not stored as a request.
/// </summary>
internal sealed partial class AgentCardProxy(AgentCardFetcher fetcher, AgentCallback callback, ILogger<AgentCardProxy> logger)
{
    /// <summary>Whether <paramref name="target"/> (the agent-relative path and query) is a GET of the route's declared card.</summary>
    public static bool IsCardRequest(HttpContext context, AgentRoute route, string target)
    {
        if (route.A2aCardPath is not { } card || !HttpMethods.IsGet(context.Request.Method))
        {
            return false;
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return string.Equals(query < 0 ? target : target[..query], card, StringComparison.Ordinal);
    }

    /// <summary>Reads the card from <paramref name="endpoint"/> and answers it rewritten, or a 502/504 problem saying what the agent did.</summary>
    public async Task<IResult> ServeAsync(HttpContext context, AgentRoute route, Uri endpoint)
    {
        AgentCardFetch fetch;
        using (route.Enter(endpoint))
        {
            fetch = await fetcher.FetchAsync(endpoint, route.A2aCardPath!, route.Protocol, A2aHeaders.VersionOf(context.Request), context.RequestAborted);
        }

        if (fetch.Card is not { } card)
        {
            LogCardFailed(route.AgentName, fetch.Error!);
            return Problems.Problems.Problem(
                fetch.Status,
                "Agent card unavailable",
                fetch.Status == StatusCodes.Status504GatewayTimeout ? Problems.Problems.GatewayTimeoutType : Problems.Problems.BadGatewayType,
                $"Agent '{route.AgentName}' declares an A2A card at {route.A2aCardPath}, but {fetch.Error}. Check the agent ('berth logs {route.AgentName}').");
        }

        AgentCardRewriter.Rewrite(card, ProxyBase(context.Request, callback, route.AgentName));
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Text(card.ToJsonString(), "application/json");
    }

    /// <summary>
    /// <c>{berth}/agents/{name}</c>, with Berth's address as the caller reached it (scheme, host and path base of its request):
    /// that is the address the client can reach. A request with no host (an in-process call) gets the server's own address.
    /// </summary>
    public static string ProxyBase(HttpRequest request, AgentCallback callback, string agentName)
    {
        var berth = request.Host.HasValue
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
            : callback.For(Core.Specs.AgentKind.Process)?.GetLeftPart(UriPartial.Authority) ?? "http://127.0.0.1";
        return $"{berth.TrimEnd('/')}/agents/{agentName}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The A2A card of agent {AgentName} could not be served: {Reason}")]
    private partial void LogCardFailed(string agentName, string reason);
}
