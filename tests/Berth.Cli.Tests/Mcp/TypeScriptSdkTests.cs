using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Testing;

namespace Berth.Cli.Tests.Mcp;

/// <summary>
/// The official TypeScript SDK client (<c>tests/mcp-js/ts-client.mjs</c>) against a real server: straight to <c>/mcp</c> over
/// streamable HTTP, and through a real <c>berth mcp</c> process over stdio, the way a desktop client runs it.
/// </summary>
[Collection(ServerGroup.Name)]
public sealed class TypeScriptSdkTests(ServerFixture server)
{
    [Fact]
    public async Task TypeScriptClient_StreamableHttp_ListsToolsAndGetsTheCliMessageForAnUnknownAgent()
    {
        var summary = await RunAsync(["ts-client.mjs", "http", $"{server.Url}/mcp"], server.AdminToken);

        summary.GetProperty("sessionId").GetString().ShouldNotBeNullOrEmpty("a 2025-11-25 client initializes and gets a session");
        summary.GetProperty("protocolVersion").GetString().ShouldBe("2025-11-25");
        AssertServed(summary);
    }

    [Fact]
    public async Task TypeScriptClient_StdioThroughBerthMcp_SeesWhatHttpClientsSee()
    {
        var berth = Path.Combine(AppContext.BaseDirectory, "berth.dll");

        var summary = await RunAsync(["ts-client.mjs", "stdio", Repository.Dotnet, berth, "mcp", "--server", server.Url], server.AdminToken);

        AssertServed(summary);
    }

    [Fact]
    public async Task TypeScriptClient_ViewerToken_SeesOnlyReadOnlyTools()
    {
        using var admin = new Berth.Client.BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        var viewer = await admin.CreateTokenAsync(new Berth.Client.Contracts.CreateTokenRequest { Role = "viewer" }, TestTimeouts.Token());

        var summary = await RunAsync(["ts-client.mjs", "http", $"{server.Url}/mcp"], viewer.Token);

        var tools = Names(summary, "tools");
        tools.ShouldContain("list_agents");
        tools.ShouldNotContain("start_agent");
        tools.ShouldBe(Names(summary, "readOnlyTools"));
    }

    private static void AssertServed(JsonElement summary)
    {
        summary.GetProperty("server").GetString().ShouldBe("berth");
        Names(summary, "tools").ShouldContain("list_agents");
        Names(summary, "tools").ShouldContain("get_agent");
        summary.GetProperty("listAgents").GetProperty("isError").GetBoolean().ShouldBeFalse();
        summary.GetProperty("listAgents").GetProperty("agents").ValueKind.ShouldBe(JsonValueKind.Number);
        var unknown = summary.GetProperty("getAgentUnknown");
        unknown.GetProperty("isError").GetBoolean().ShouldBeTrue();
        unknown.GetProperty("text").GetString().ShouldBe("Agent not found (HTTP 404): No agent named 'no-such-agent-ts'. List agents with 'berth get agents'.");
    }

    private static string[] Names(JsonElement summary, string property) =>
        [.. summary.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static async Task<JsonElement> RunAsync(string[] args, string token)
    {
        var run = await McpJsProcess.RunAsync(args, new Dictionary<string, string> { ["BERTH_TOKEN"] = token }, TestTimeouts.Token(TestTimeouts.Slow));

        run.ExitCode.ShouldBe(0, run.ToString());
        var line = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem(run.ToString());
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
