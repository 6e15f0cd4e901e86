using System.Net;
using Berth.Server.Tests.Mcp;
using Berth.Testing;
using ModelContextProtocol;

namespace Berth.Server.Tests.Plugins;

/// <summary>A plugin's pool is an agent to the reconciler only: no agent surface (proxy, API, MCP) reaches it, while the plugin keeps working.</summary>
public sealed class PluginPoolHidingTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    [Fact]
    public async Task AgentSurfaces_APluginPoolWithARunningInstance_AnswerNotFoundAndChangeNothing()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture, "  pool: { minWarm: 1 }");
        var http = fixture.Server.Http;
        using (var warm = await InvokeAsync(plugin))
        {
            warm.StatusCode.ShouldBe(HttpStatusCode.OK, "the pool runs");
        }

        var pool = Uri.EscapeDataString(plugin.Pool);
        string[] reads = [$"/agents/{pool}/health", $"/api/v1/agents/{pool}", $"/api/v1/agents/{pool}/logs", $"/api/v1/agents/{pool}/events"];
        foreach (var path in reads)
        {
            using var response = await http.GetAsync(path, TestTimeouts.Token());
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }

        foreach (var command in new[] { "stop", "start", "restart" })
        {
            using var response = await http.PostAsync($"/api/v1/agents/{pool}/{command}", null, TestTimeouts.Token());
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, command);
        }

        using (var removed = await http.DeleteAsync($"/api/v1/agents/{pool}", TestTimeouts.Token()))
        {
            removed.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        await using var client = await McpClients.ConnectAsync(fixture.Server, fixture.Server.AdminToken);
        var logs = await client.CallToolAsync("agent_logs", new Dictionary<string, object?> { ["name"] = plugin.Pool }, cancellationToken: TestTimeouts.Token());
        var stop = await client.CallToolAsync("stop_agent", new Dictionary<string, object?> { ["name"] = plugin.Pool }, cancellationToken: TestTimeouts.Token());
        logs.IsError.ShouldBe(true);
        stop.IsError.ShouldBe(true);
        await Should.ThrowAsync<McpException>(() => client.ReadResourceAsync($"berth://agents/{plugin.Pool}/logs", cancellationToken: TestTimeouts.Token()).AsTask());
        await Should.ThrowAsync<McpException>(() => client.ReadResourceAsync($"berth://agents/{plugin.Pool}", cancellationToken: TestTimeouts.Token()).AsTask());
        using var after = await InvokeAsync(plugin);
        after.StatusCode.ShouldBe(HttpStatusCode.OK, "nothing above stopped or removed the pool");
    }

    private async Task<HttpResponseMessage> InvokeAsync(InvokedPlugin plugin)
    {
        using var content = new StringContent("""{"inputs": {"text": "x"}}""", System.Text.Encoding.UTF8, "application/json");
        return await fixture.Server.Http.PostAsync($"/api/v1/plugins/{plugin.Id}/invoke", content, TestTimeouts.Token());
    }
}
