using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Mcp;

/// <summary>One server with one MCP agent (tests/agents/mcp-agent) running, for the gateway tests that only read or call it.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    internal string Agent { get; } = $"m{Guid.NewGuid():N}"[..12];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        await GatewayTests.ApplyAsync(Server, Agent);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
