using Berth.Server.Audit;
using Berth.Server.Mcp.Gateway;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Mcp;

/// <summary>
/// Maps <c>/mcp</c> (streamable HTTP, both protocol eras) behind Berth's bearer tokens, and the RFC 9728 protected-resource
/// document that a 401 from it points to. Which tools a caller sees and may call is decided per tool by its role.
/// </summary>
internal static class McpEndpoints
{
    public const string Path = "/mcp";

    public static IEndpointRouteBuilder MapBerthMcp(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path)
            .RequireAuthorization(BerthPolicies.Viewer)
            .WithMetadata(McpEndpointMetadata.Instance)
            .NotAudited("every POST to /mcp is a JSON-RPC message; tool calls that change something are audited one by one")
            .ExcludeFromDescription();
        app.MapMcpGateway();
        app.MapGet(ProtectedResourceDocument.Path, ProtectedResourceDocument.Serve)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}

/// <summary>Marks the MCP endpoints, so a 401 from them names the protected-resource document (decided by endpoint, not path).</summary>
internal sealed class McpEndpointMetadata
{
    public static McpEndpointMetadata Instance { get; } = new();
}
