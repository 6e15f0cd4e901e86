using Berth.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Tests.Security;

/// <summary>
/// The policy table from the security decisions, and the routes the server really maps. A route the table does not
/// know fails the tests: adding a route means deciding who may call it.
/// </summary>
internal static class EndpointPolicies
{
    public const string Anonymous = "anonymous";

    /// <summary>Every routed endpoint as (method, route pattern, endpoint); an endpoint without methods (the proxy) is listed as GET.</summary>
    public static IReadOnlyList<(string Method, string Pattern, RouteEndpoint Endpoint)> Routes(IEnumerable<Endpoint> endpoints) =>
        endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e)))
            .ToList();

    /// <summary>
    /// The routes anonymous by design: liveness, the document that tells an MCP client how to authenticate, and the
    /// dashboard's page shell and static assets (no data; every API call the page makes carries the signed-in token).
    /// </summary>
    public static readonly string[] AnonymousByDesign = ["/healthz", "/.well-known/oauth-protected-resource", "/ui", "/ui/assets/{version}/{file}"];

    /// <summary>Routes without authorization metadata, other than those anonymous by design.</summary>
    public static IReadOnlyList<string> Unprotected(IEnumerable<Endpoint> endpoints) =>
        Routes(endpoints)
            .Where(r => r.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0 &&
                        !(AnonymousByDesign.Contains(r.Pattern) && r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null))
            .Select(r => $"{r.Method} {r.Pattern}")
            .ToList();

    /// <summary>The policy the decisions give <paramref name="method"/> <paramref name="pattern"/>; null for a route they do not cover.</summary>
    public static string? Expected(string method, string pattern) => pattern switch
    {
        "/healthz" or "/.well-known/oauth-protected-resource" or "/ui" or "/ui/assets/{version}/{file}" => Anonymous,
        "/mcp/" => BerthPolicies.Viewer,
        "/mcp/gateway/" => BerthPolicies.McpGateway,
        "/readyz" or "/openapi/{documentName}.json" => BerthPolicies.Viewer,
        "/metrics" => BerthPolicies.MetricsReader,
        "/api/v1/stats" => BerthPolicies.Viewer,
        "/api/v1/agents/{name}/exec" => BerthPolicies.Operator, // a GET (a WebSocket upgrade) that runs commands
        _ when Under(pattern, "/api/v1/agents") || Under(pattern, "/api/v1/workflows") || Under(pattern, "/api/v1/runs") || Under(pattern, "/api/v1/circuits") ||
                Under(pattern, "/api/v1/agent-cards") || Under(pattern, "/api/v1/plugins") =>
            method == "GET" ? BerthPolicies.Viewer : BerthPolicies.Operator,
        "/api/v1/topics/{name}/messages" => BerthPolicies.MessagePublish,
        "/api/v1/subscriptions/{name}/messages" or "/api/v1/subscriptions/{name}/stream" or "/api/v1/subscriptions/{name}/ack" or "/api/v1/subscriptions/{name}/nack" =>
            BerthPolicies.MessageConsume,
        "/api/v1/mailboxes/{agent}/messages" or "/api/v1/mailboxes/{agent}/requests" when method == "POST" => BerthPolicies.MailboxSend,
        "/api/v1/mailboxes/{agent}/requeue" or "/api/v1/mailboxes/{agent}/purge" => BerthPolicies.Operator,
        _ when Under(pattern, "/api/v1/mailboxes") => BerthPolicies.MailboxConsume,
        "/api/v1/messages/{id}" => BerthPolicies.Operator,
        _ when Under(pattern, "/api/v1/topics") || Under(pattern, "/api/v1/subscriptions") || Under(pattern, "/api/v1/messages") =>
            method == "GET" ? BerthPolicies.Viewer : BerthPolicies.Operator,
        _ when Under(pattern, "/api/v1/images") => BerthPolicies.Operator,
        _ when Under(pattern, "/api/v1/tokens") || Under(pattern, "/api/v1/audit") || Under(pattern, "/api/v1/backup") => BerthPolicies.Admin,
        _ when Under(pattern, "/api/v1/requests") => method == "GET" ? BerthPolicies.RequestReader : BerthPolicies.Operator,
        _ when Under(pattern, "/api/v1/secrets") => method == "GET" ? BerthPolicies.Operator : BerthPolicies.Admin,
        _ when Under(pattern, "/api/v1/capabilities") => method == "GET" ? BerthPolicies.Viewer : null,
        _ when Under(pattern, "/api/v1/model-endpoints") || Under(pattern, "/api/v1/budgets") => method == "GET" ? BerthPolicies.Viewer : BerthPolicies.Operator,
        "/api/v1/usage" => BerthPolicies.Viewer,
        "/llm/{endpoint}/{**path}" => BerthPolicies.LlmCaller,
        _ when Under(pattern, "/agents") || Under(pattern, "/capabilities") => BerthPolicies.AgentProxy,
        _ => null,
    };

    /// <summary>The callers of the matrix a policy lets through.</summary>
    public static IReadOnlySet<string> Allowed(string policy) => policy switch
    {
        Anonymous => new HashSet<string> { "anonymous", "viewer", "operator", "admin", "agent", "agent naming none", "metrics" },

        // a metrics token scrapes and reads nothing else
        BerthPolicies.MetricsReader => new HashSet<string> { "viewer", "operator", "admin", "metrics" },
        BerthPolicies.Viewer => new HashSet<string> { "viewer", "operator", "admin" },
        BerthPolicies.Operator => new HashSet<string> { "operator", "admin" },

        // "agent" names the proxy's target in access.agents (and the capability route's in access.capabilities); "agent naming none" does not
        BerthPolicies.AgentProxy => new HashSet<string> { "operator", "admin", "agent" },

        // an agent reads only its own requests: the handler filters, the policy lets every agent in
        BerthPolicies.RequestReader => new HashSet<string> { "viewer", "operator", "admin", "agent", "agent naming none" },
        BerthPolicies.Admin => new HashSet<string> { "admin" },

        // "agent" names the topic in access.publish; no agent is the consumer of the matrix's subscription or owns mailbox "x",
        // and neither names "x" in access.agents (MessagingIsolationTests shows the agents these policies let through)
        BerthPolicies.MessagePublish => new HashSet<string> { "operator", "admin", "agent" },
        BerthPolicies.MessageConsume or BerthPolicies.MailboxSend or BerthPolicies.MailboxConsume => new HashSet<string> { "operator", "admin" },

        // a call spends money: users who may change things, and an agent whose access.models names the endpoint ("x")
        BerthPolicies.LlmCaller => new HashSet<string> { "operator", "admin", "agent" },

        // every principal reaches the gateway; which agents' tools it sees and may call is decided per tool
        BerthPolicies.McpGateway => new HashSet<string> { "viewer", "operator", "admin", "agent", "agent naming none" },
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "not a Berth policy"),
    };

    private static bool Under(string pattern, string prefix) =>
        pattern == prefix || pattern.StartsWith(prefix + "/", StringComparison.Ordinal);
}
