using Berth.Server.Audit;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// Maps <c>/mcp/gateway</c>: the same MCP server as <c>/mcp</c>, whose sessions <see cref="GatewaySessionOptions"/> gives the
/// tools of the MCP agents instead of Berth's own (picked by this endpoint's <see cref="GatewayEndpointMetadata"/>).
/// </summary>
internal static class GatewayEndpoints
{
    public const string Path = "/mcp/gateway";

    public static IEndpointRouteBuilder MapMcpGateway(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path)
            .RequireAuthorization(BerthPolicies.McpGateway)
            .WithMetadata(McpEndpointMetadata.Instance, GatewayEndpointMetadata.Instance)
            .NotAudited("every POST is a JSON-RPC message; each tool call through the gateway is audited by GatewayAudit, without its arguments")
            .ExcludeFromDescription();
        return app;
    }
}
