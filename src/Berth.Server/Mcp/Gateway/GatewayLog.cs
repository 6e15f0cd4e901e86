using Microsoft.Extensions.Logging;

namespace Berth.Server.Mcp.Gateway;

/// <summary>What the gateway logs: tools it renamed or left out, agents whose tools it could not read, and every call (no arguments).</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "MCP gateway: tool '{Tool}' of agent {Agent} is listed as '{Exposed}' (tool names may hold only letters, digits, '_' and '-', at most 64 with the agent's name)")]
    public static partial void ToolRenamed(ILogger logger, string agent, string tool, string exposed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP gateway: tool '{Tool}' of agent {Agent} is left out: its gateway name '{Exposed}' is already taken by another of its tools")]
    public static partial void ToolSkipped(ILogger logger, string agent, string tool, string exposed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP gateway: tool '{Tool}' of agent {Agent} is left out: its description and schemas take {Size} characters, more than {Limit}")]
    public static partial void ToolTooLarge(ILogger logger, string agent, string tool, int size, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP gateway: could not read the tools of agent {Agent} at {Endpoint}: {Reason}")]
    public static partial void ListFailed(ILogger logger, string agent, Uri endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MCP gateway: updating the list of MCP agents and their tools failed")]
    public static partial void CatalogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP gateway: {Principal} called {Agent}/{Tool}: {Outcome} in {DurationMs} ms")]
    public static partial void Called(ILogger logger, string principal, string agent, string tool, string outcome, long durationMs);
}
