using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Gateway;

/// <summary>One tool of an MCP agent as the gateway shows it: the agent, the tool's own name there, and its definition under the exposed name.</summary>
internal sealed record GatewayTool(string Agent, string Upstream, Tool Exposed)
{
    public string Name => Exposed.Name;
}
