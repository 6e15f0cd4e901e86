using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// The open gateway sessions, so each hears <c>notifications/tools/list_changed</c> when an MCP agent appears, goes or changes
/// its tools. A session is known from the moment the SDK runs it until it ends (<see cref="RunAsync"/> wraps its run): the
/// server a handler sees is bound to the request it serves, so it cannot stand for the session. A session whose GET stream
/// is not open yet cannot be told (the SDK drops or refuses the message) and lists what it asks for anyway. Stateless
/// (2026-07-28) requests have no session to notify and are not kept.
/// </summary>
internal sealed class GatewaySessions
{
    private readonly ConcurrentDictionary<McpServer, byte> _sessions = new();

    /// <summary>The SDK's <c>RunSessionHandler</c>: runs every session, remembering those of the gateway while they run.</summary>
    public static async Task RunAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        var sessions = context.GetEndpoint()?.Metadata.GetMetadata<GatewayEndpointMetadata>() is not null && server.SessionId is not null
            ? context.RequestServices.GetRequiredService<GatewaySessions>()
            : null;
        sessions?._sessions.TryAdd(server, 0);
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            sessions?._sessions.TryRemove(server, out _);
        }
    }

    public void NotifyToolsChanged()
    {
        foreach (var server in _sessions.Keys)
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
            // Not listening yet (its GET stream opens a moment after initialize) or closing: it hears the next change, or ends.
        }
    }
}
