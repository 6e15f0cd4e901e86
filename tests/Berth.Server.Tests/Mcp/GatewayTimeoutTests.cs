using System.Net.Http.Json;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>A gateway call that outlasts <c>Berth:Mcp:GatewayCallTimeout</c> is a tool error naming the setting, audited as failed.</summary>
public sealed class GatewayTimeoutTests : IAsyncLifetime
{
    private readonly string _agent = $"t{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(extraArgs: ["--Berth:Mcp:GatewayCallTimeout=1s"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CallTool_SlowerThanTheTimeout_IsAToolErrorNamingTheSetting()
    {
        await GatewayTests.ApplyAsync(_server, _agent);
        await using var client = await McpClients.ConnectAsync(_server, _server.AdminToken, path: "/mcp/gateway");
        await Eventually.TrueAsync(
            async token => (await client.ListToolsAsync(cancellationToken: token)).Any(t => t.Name == $"{_agent}__slow"), "the gateway lists the slow tool");

        var result = await client.CallToolAsync($"{_agent}__slow", new Dictionary<string, object?> { ["ms"] = 600_000 }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)).ShouldContain("within 1s (Berth:Mcp:GatewayCallTimeout)");
        var audit = await _server.Http.GetFromJsonAsync<List<AuditRecord>>("/api/v1/audit?limit=1000", BerthJson.Options, TestTimeouts.Token());
        var call = audit!.Where(r => r.Verb == "mcp.gateway.call").ShouldHaveSingleItem();
        (call.Outcome, call.Status).ShouldBe((AuditOutcomes.Failed, 504));
    }
}
