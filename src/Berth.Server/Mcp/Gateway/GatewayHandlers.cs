using System.Security.Claims;
using Berth.Server.Problems;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// The gateway sessions' <c>tools/list</c> and <c>tools/call</c>: <c>find_tools</c> and the tools of the MCP agents the caller
/// may see (<see cref="GatewayAccess"/>). A tool the caller may not see is answered as if it did not exist.
/// </summary>
internal sealed class GatewayHandlers(GatewayCatalog catalog, GatewayAccess access, GatewayCaller caller)
{
    public async ValueTask<ListToolsResult> ListToolsAsync(RequestContext<ListToolsRequestParams> context, CancellationToken cancellationToken)
    {
        var visible = await VisibleAsync(User(context), cancellationToken);
        return new ListToolsResult { Tools = [FindTools.Definition, .. visible.Select(t => t.Exposed)] };
    }

    public async ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var user = User(context);
        var name = context.Params?.Name ?? "";
        var arguments = context.Params?.Arguments;
        if (name == FindTools.Name)
        {
            return FindTools.Run(arguments, await VisibleAsync(user, cancellationToken));
        }

        var tool = await catalog.FindAsync(name, cancellationToken);
        if (tool is null || !await access.MaySeeAsync(user, tool.Agent, cancellationToken))
        {
            return new ToolFailure(
                $"No tool named '{CallerText.Printable(name, 80)}' is served here: list the tools again (MCP agents come and go), or use find_tools.").ToResult();
        }

        if (!GatewayAccess.MayCall(user))
        {
            return GatewayAccess.Refusal(user, tool.Name).ToResult();
        }

        return await caller.CallAsync(user, tool, arguments, cancellationToken);
    }

    private async Task<List<GatewayTool>> VisibleAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var visible = new List<GatewayTool>();
        var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var tool in await catalog.ToolsAsync(cancellationToken))
        {
            if (!allowed.TryGetValue(tool.Agent, out var may))
            {
                allowed[tool.Agent] = may = await access.MaySeeAsync(user, tool.Agent, cancellationToken);
            }

            if (may)
            {
                visible.Add(tool);
            }
        }

        return visible;
    }

    private static ClaimsPrincipal User(MessageContext context) => context.User ?? new ClaimsPrincipal(new ClaimsIdentity());
}
