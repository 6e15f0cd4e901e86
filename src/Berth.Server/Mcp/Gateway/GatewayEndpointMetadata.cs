namespace Berth.Server.Mcp.Gateway;

/// <summary>Marks <c>/mcp/gateway</c>, so a session started there gets the gateway's tools (decided by endpoint, not path text).</summary>
internal sealed class GatewayEndpointMetadata
{
    public static GatewayEndpointMetadata Instance { get; } = new();
}
