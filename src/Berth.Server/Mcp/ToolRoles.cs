using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp;

/// <summary>
/// Applies a tool's <see cref="ToolPolicyAttribute"/>: <c>tools/list</c> shows a caller only the tools it may call, and a
/// call to any other is a tool error that names the role it needs. (The SDK's own <c>[Authorize]</c> filters answer such a
/// call with a bare protocol error, "Access forbidden", so they are not used.)
/// </summary>
internal static class ToolRoles
{
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> FilterList(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken);
            if (context.Services is not { } services)
            {
                return result;
            }

            var user = context.User ?? new ClaimsPrincipal(new ClaimsIdentity());
            var tools = context.Server.ServerOptions.ToolCollection;
            var visible = new List<Tool>(result.Tools.Count);
            foreach (var tool in result.Tools)
            {
                var policy = tools is not null && tools.TryGetPrimitive(tool.Name, out var primitive) ? PolicyOf(primitive) : null;
                if (policy is null || await IsAllowedAsync(services, user, policy))
                {
                    visible.Add(tool);
                }
            }

            result.Tools = visible;
            return result;
        };

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CheckCall(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool && PolicyOf(tool) is { } policy && context.Services is { } services)
            {
                var user = context.User ?? new ClaimsPrincipal(new ClaimsIdentity());
                if (!await IsAllowedAsync(services, user, policy))
                {
                    // Thrown, so the audit filter around this one records the refusal with its status (403).
                    throw Refusal(user, tool.ProtocolTool.Name, policy);
                }
            }

            return await next(context, cancellationToken);
        };

    private static string? PolicyOf(McpServerTool tool) => tool.Metadata.OfType<ToolPolicyAttribute>().FirstOrDefault()?.Policy;

    public static async Task<bool> IsAllowedAsync(IServiceProvider services, ClaimsPrincipal user, string policy) =>
        (await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, policy)).Succeeded;

    /// <summary>What a caller refused by <paramref name="policy"/> is told, for any MCP action (<c>call apply</c>, <c>cancel task …</c>).</summary>
    public static string RefusalMessage(ClaimsPrincipal user, string action, string policy)
    {
        var who = user.Identity?.Name ?? "this token";
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "none";
        return $"Forbidden (HTTP 403): {who} (role {role}) may not {action}: it needs the {policy.ToLowerInvariant()} role or higher. See docs/security.md for what each role may do.";
    }

    public static ToolFailure Refusal(ClaimsPrincipal user, string tool, string policy) =>
        new(RefusalMessage(user, $"call {tool}", policy), StatusCodes.Status403Forbidden);
}
