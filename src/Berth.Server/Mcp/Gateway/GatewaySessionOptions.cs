using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// Berth registers one MCP server (<c>AddMcpServer</c>) and maps it twice. The SDK builds fresh options for every session
/// (and for every request of a stateless client) and hands them to <c>ConfigureSessionOptions</c> with the request; a session
/// whose request reached the gateway's endpoint gets the gateway's tool handlers and none of the platform's tools, prompts
/// or resources, and none of the platform's custom methods (the tasks extension: a gateway caller may be an agent token,
/// which must not read runs). The request filters (roles, tool failures) stay: they apply to handlers too.
/// </summary>
internal static class GatewaySessionOptions
{
    public static Task ConfigureAsync(HttpContext context, McpServerOptions options, CancellationToken cancellationToken)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GatewayEndpointMetadata>() is null)
        {
            return Task.CompletedTask;
        }

        var handlers = context.RequestServices.GetRequiredService<GatewayHandlers>();
        options.ServerInfo = new Implementation { Name = "berth-gateway", Title = "Berth MCP gateway", Version = options.ServerInfo?.Version ?? "0" };
        options.ServerInstructions =
            "The tools of the MCP servers Berth runs, named {agent}__{tool}. When there are many, find_tools {query} finds the ones that fit.";
        options.ToolCollection = null;
        options.PromptCollection = null;
        options.ResourceCollection = null;
        options.Handlers = new McpServerHandlers
        {
            ListToolsHandler = handlers.ListToolsAsync,
            CallToolHandler = handlers.CallToolAsync,
        };
#pragma warning disable MCPEXP002 // RequestHandlers is experimental in 2.4.0; the platform's custom methods (tasks/*) are registered there and must not reach the gateway
        options.RequestHandlers = null;
#pragma warning restore MCPEXP002
        options.Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } };
        return Task.CompletedTask;
    }
}
