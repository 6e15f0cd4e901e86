using Berth.Core.Specs;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// An MCP agent as the gateway last saw it: where it serves MCP, its healthy endpoints then, and its tools (read from one of
/// them; all replicas run the same spec). <see cref="Tools"/> is the read in progress or done; a failed read is retried.
/// </summary>
internal sealed record GatewayAgent(string Name, string McpPath, AgentProtocol Protocol, IReadOnlyList<Uri> Endpoints, Task<GatewayAgentTools> Tools)
{
    /// <summary>Whether this entry leads where a route with these values leads (the tools read from it still apply).</summary>
    public bool Same(string mcpPath, AgentProtocol protocol, IReadOnlyList<Uri> endpoints) =>
        McpPath == mcpPath && Protocol == protocol && Endpoints.Count == endpoints.Count && !Endpoints.Except(endpoints).Any();
}

/// <summary>The tools read from an agent; <see cref="Failed"/> when no endpoint answered <c>tools/list</c> (then it is read again).</summary>
internal sealed record GatewayAgentTools(IReadOnlyList<GatewayTool> Tools, bool Failed, DateTimeOffset ReadAt);
