using System.Runtime.CompilerServices;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// The gateway sessions that have listed tools, so each hears <c>notifications/tools/list_changed</c> when an MCP agent appears,
/// goes or changes its tools. Held weakly: a session the SDK has closed and dropped is forgotten with it. A session whose GET
/// stream is not open yet cannot be told (the SDK refuses to send), and lists the tools it asks for anyway. Stateless
/// (2026-07-28) requests have no session to notify and are not kept.
/// </summary>
internal sealed class GatewaySessions
{
    private readonly ConditionalWeakTable<McpServer, object> _sessions = [];

    public void Add(McpServer server)
    {
        if (server.SessionId is not null)
        {
            _sessions.TryAdd(server, server);
        }
    }

    public void NotifyToolsChanged()
    {
        foreach (var (server, _) in _sessions)
        {
            _ = NotifyAsync(server);
        }
    }

    private static async Task NotifyAsync(McpServer server)
    {
        try
        {
            await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, CancellationToken.None);
        }
        catch (Exception)
        {
            // Not yet listening (its GET stream opens a moment after initialize: the SDK refuses to send until then) or
            // already closed. Either way the session stays known: one not listening yet hears the next change, and a closed one
            // is forgotten when the SDK lets it go.
        }
    }
}
