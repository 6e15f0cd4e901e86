using Berth.Server.Tests.Support;
using Berth.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>MCP clients (the official C# SDK) connected to a test server's <c>/mcp</c> with a bearer token.</summary>
internal static class McpClients
{
    /// <summary>
    /// A client of <paramref name="server"/>'s <paramref name="path"/> that sends <paramref name="token"/>; <paramref name="protocolVersion"/>
    /// picks the era (null: the SDK's default, which tries 2026-07-28 first); <paramref name="capabilities"/> are declared at
    /// initialize. The caller disposes it.
    /// </summary>
    public static Task<McpClient> ConnectAsync(
        TestServer server, string token, string? protocolVersion = null, string path = "/mcp", ClientCapabilities? capabilities = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Server.Address, path),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion, Capabilities = capabilities }, cancellationToken: TestTimeouts.Token());
    }
}
