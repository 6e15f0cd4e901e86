using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// <c>/mcp/gateway</c> with a real MCP server (tests/agents/mcp-agent, on the official TypeScript SDK) run as a process agent,
/// driven by the official C# SDK client.
/// </summary>
public sealed class GatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Gateway = "/mcp/gateway";

    private TestServer Server => fixture.Server;

    private string Agent => fixture.Agent;

    [Fact]
    public async Task ListTools_McpAgentRunning_ShowsItsToolsPrefixedAndFindTools()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, path: Gateway);

        var names = await ToolNamesAsync(client, $"{Agent}__echo");

        names.ShouldContain($"{Agent}__add");
        names.ShouldContain("find_tools");
        names.ShouldNotContain("list_agents", "the gateway serves the agents' tools, not Berth's own");
        names.ShouldAllBe(n => n.Length <= 64 && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'));
    }

    [Fact]
    public async Task CallTool_StatelessClientOf2026_ListsAndCallsLikeASession()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, "2026-07-28", Gateway);
        await ToolNamesAsync(client, $"{Agent}__echo");

        var echo = await client.CallToolAsync($"{Agent}__echo", new Dictionary<string, object?> { ["text"] = "stateless" }, cancellationToken: TestTimeouts.Token());

        client.NegotiatedProtocolVersion.ShouldBe("2026-07-28");
        Text(echo).ShouldBe("echo: stateless");
    }

    [Fact]
    public async Task CallTool_Operator_ReturnsTheAgentsAnswer()
    {
        var token = (await TokenRequests.CreateAsync(Server, "operator")).Token;
        await using var client = await McpClients.ConnectAsync(Server, token, path: Gateway);
        await ToolNamesAsync(client, $"{Agent}__echo");

        var echo = await client.CallToolAsync($"{Agent}__echo", new Dictionary<string, object?> { ["text"] = "hello" }, cancellationToken: TestTimeouts.Token());
        var add = await client.CallToolAsync($"{Agent}__add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 40 }, cancellationToken: TestTimeouts.Token());

        echo.IsError.ShouldNotBe(true, Text(echo));
        Text(echo).ShouldBe("echo: hello");
        add.StructuredContent!.Value.GetProperty("sum").GetInt32().ShouldBe(42);
    }

    [Fact]
    public async Task FindTools_Query_FindsTheAgentsToolFirst()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, path: Gateway);
        await ToolNamesAsync(client, $"{Agent}__echo");

        var result = await client.CallToolAsync("find_tools", new Dictionary<string, object?> { ["query"] = "echo text", ["limit"] = 3 }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true, Text(result));
        var tools = result.StructuredContent!.Value.GetProperty("tools").EnumerateArray().ToList();
        tools.Count.ShouldBeInRange(1, 3);
        tools[0].GetProperty("name").GetString().ShouldEndWith("__echo");
        tools[0].GetProperty("inputSchema").GetProperty("properties").TryGetProperty("text", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task FindTools_LimitOutOfRange_IsAToolErrorNamingTheRange()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, path: Gateway);

        var result = await client.CallToolAsync("find_tools", new Dictionary<string, object?> { ["query"] = "echo", ["limit"] = 500 }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("limit from 1 to 50");
    }

    [Fact]
    public async Task Viewer_ListsTheToolsButACallIsAToolErrorNamingTheRole()
    {
        var viewer = (await TokenRequests.CreateAsync(Server, "viewer")).Token;
        await using var client = await McpClients.ConnectAsync(Server, viewer, path: Gateway);
        await ToolNamesAsync(client, $"{Agent}__echo");

        var result = await client.CallToolAsync($"{Agent}__echo", new Dictionary<string, object?> { ["text"] = "x" }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("needs the operator role");
    }

    [Fact]
    public async Task AgentToken_OutsideAccessAgents_NeitherSeesNorCallsTheTools()
    {
        var stranger = await AgentTokens.CreateAsync(Server, $"s{Guid.NewGuid():N}"[..12], mayCall: null);
        var friend = await AgentTokens.CreateAsync(Server, $"f{Guid.NewGuid():N}"[..12], mayCall: Agent);
        await using var strangerClient = await McpClients.ConnectAsync(Server, stranger, path: Gateway);
        await using var friendClient = await McpClients.ConnectAsync(Server, friend, path: Gateway);
        await ToolNamesAsync(friendClient, $"{Agent}__echo");

        var seen = (await strangerClient.ListToolsAsync(cancellationToken: TestTimeouts.Token())).Select(t => t.Name).ToList();
        var refused = await strangerClient.CallToolAsync($"{Agent}__echo", new Dictionary<string, object?> { ["text"] = "x" }, cancellationToken: TestTimeouts.Token());
        var allowed = await friendClient.CallToolAsync($"{Agent}__echo", new Dictionary<string, object?> { ["text"] = "x" }, cancellationToken: TestTimeouts.Token());

        seen.ShouldBe(["find_tools"], "an agent token sees only the agents its spec names in access.agents");
        refused.IsError.ShouldBe(true);
        Text(refused).ShouldContain("No tool named");
        Text(allowed).ShouldBe("echo: x", "an agent naming it in access.agents may call it");
    }

    [Fact]
    public async Task TasksGet_AtTheGateway_IsNoMethodThere()
    {
        var agent = await AgentTokens.CreateAsync(Server, $"t{Guid.NewGuid():N}"[..12], mayCall: Agent);
        await using var client = await McpClients.ConnectAsync(Server, agent, "2025-11-25", Gateway);
        var request = new JsonRpcRequest { Method = "tasks/get", Params = new System.Text.Json.Nodes.JsonObject { ["taskId"] = "run-anything" } };

        var refused = await Should.ThrowAsync<ModelContextProtocol.McpProtocolException>(() => client.SendRequestAsync(request, TestTimeouts.Token()));

        refused.ErrorCode.ShouldBe(ModelContextProtocol.McpErrorCode.MethodNotFound, "an agent token at the gateway must not read runs through the platform's tasks");
        client.ServerCapabilities.Extensions.ShouldBeNull();
    }

    [Fact]
    public async Task CallTool_IsAuditedWithCallerAgentAndOutcomeButNoArgumentValues()
    {
        var secret = $"arg-{Guid.NewGuid():N}";
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, path: Gateway);
        await ToolNamesAsync(client, $"{Agent}__echo");

        var result = await client.CallToolAsync($"{Agent}__echo", new Dictionary<string, object?> { ["text"] = secret }, cancellationToken: TestTimeouts.Token());

        Text(result).ShouldBe($"echo: {secret}");
        var audit = await Server.Http.GetStringAsync("/api/v1/audit?limit=1000", TestTimeouts.Token());
        audit.ShouldNotContain(secret);
        var records = JsonSerializer.Deserialize<List<AuditRecord>>(audit, BerthJson.Options)!;
        var call = records.Where(r => r.Verb == "mcp.gateway.call" && r.Target!.Contains($"agent={Agent} tool={Agent}__echo", StringComparison.Ordinal))
            .ShouldHaveSingleItem();
        call.Outcome.ShouldBe(AuditOutcomes.Allowed);
        call.Role.ShouldBe("admin");
        call.Target!.ShouldContain("durationMs=");
    }

    [Fact]
    public async Task ToolsList_AgentToolOverTheSizeLimit_IsLeftOutAndTheRestListed()
    {
        var agent = $"h{Guid.NewGuid():N}"[..12];
        await ApplyAsync(Server, agent, hugeTool: true);
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, path: Gateway);

        var names = await ToolNamesAsync(client, $"{agent}__echo");

        names.ShouldNotContain($"{agent}__huge", "a tool whose description and schemas pass 64 KiB is not handed to every client");
        using var removed = await Server.Http.DeleteAsync($"/api/v1/agents/{agent}?wait=60s", TestTimeouts.Token());
    }

    [Fact]
    public async Task ListChanged_SecondMcpAgentApplied_SessionIsNotifiedAndListsItsTools()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, "2025-11-25", Gateway);
        await ToolNamesAsync(client, $"{Agent}__echo");
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            changed.TrySetResult();
            return ValueTask.CompletedTask;
        });
        var second = $"n{Guid.NewGuid():N}"[..12];

        // A session the gateway held only through a request's objects would be lost here, as it is on a busy server.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await ApplyAsync(Server, second);
        await changed.Task.WaitAsync(TestTimeouts.Token(TestTimeouts.Slow));

        (await ToolNamesAsync(client, $"{second}__echo")).ShouldContain($"{Agent}__echo");
        using var removed = await Server.Http.DeleteAsync($"/api/v1/agents/{second}?wait=60s", TestTimeouts.Token());
    }

    [Fact]
    public async Task CallTool_AgentRestartedMidSession_NextCallReachesTheNewProcess()
    {
        var name = $"r{Guid.NewGuid():N}"[..12];
        await ApplyAsync(Server, name);
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, path: Gateway);
        await ToolNamesAsync(client, $"{name}__whoami");
        var first = Text(await client.CallToolAsync($"{name}__whoami", cancellationToken: TestTimeouts.Token()));
        var pid = int.Parse(first["pid ".Length..], CultureInfo.InvariantCulture);

        Process.GetProcessById(pid).Kill();
        await Server.WaitForAsync(name, v => v.State == AgentState.Running && v.Instances.Single().RestartCount == 1);
        var after = await Eventually.MatchAsync(
            async token => await client.CallToolAsync($"{name}__whoami", cancellationToken: token),
            r => r.IsError != true,
            r => $"the call after the restart answered {(r is null ? "nothing" : Text(r))}");

        Text(after).ShouldStartWith("pid ");
        Text(after).ShouldNotBe(first);
        using var removed = await Server.Http.DeleteAsync($"/api/v1/agents/{name}?wait=60s", TestTimeouts.Token());
    }

    [Fact]
    public async Task Passthrough_AgentsNameMcp_ServesTheAgentsOwnToolsToTheCsharpClient()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, "2025-11-25", $"/agents/{Agent}/mcp");

        var names = (await client.ListToolsAsync(cancellationToken: TestTimeouts.Token())).Select(t => t.Name).ToList();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "raw" }, cancellationToken: TestTimeouts.Token());

        names.ShouldContain("echo", "the raw passthrough shows the agent's own names, unprefixed");
        Text(echo).ShouldBe("echo: raw");
    }

    internal static async Task ApplyAsync(TestServer server, string name, bool hugeTool = false)
    {
        var spec = GatewayAgents.Spec(name);
        if (hugeTool)
        {
            spec = spec with { Env = new Dictionary<string, string>(spec.Env) { ["MCP_AGENT_HUGE_TOOL"] = "1" } };
        }

        using var applied = await server.ApplyAsync(spec);
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        await server.WaitRunningAsync(name);
    }

    /// <summary>The tool names the gateway lists once <paramref name="expected"/> is among them (routes publish a moment after "running").</summary>
    private static async Task<List<string>> ToolNamesAsync(McpClient client, string expected) =>
        await Eventually.MatchAsync(
            async token => (await client.ListToolsAsync(cancellationToken: token)).Select(t => t.Name).ToList(),
            names => names.Contains(expected),
            names => $"the gateway listed {string.Join(", ", names ?? [])} without {expected}");

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
