using System.Text;
using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;
using ModelContextProtocol.Protocol;

namespace Berth.Cli.Tests.Mcp;

/// <summary><c>berth mcp</c> relaying a real MCP client's stdio to a real server's <c>/mcp</c>, and what it does when it cannot.</summary>
[Collection(ServerGroup.Name)]
public sealed class McpRelayTests(ServerFixture server)
{
    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task Relay_ClientOfEachEra_ListsAndCallsTheServersTools(string protocolVersion)
    {
        var environment = new Dictionary<string, string> { ["BERTH_TOKEN"] = server.AdminToken };
        int exitCode;
        await using (var relayed = await RelayedClient.ConnectAsync(environment, server.Url, protocolVersion))
        {
            var tools = await relayed.Client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
            var listed = await relayed.Client.CallToolAsync("list_agents", cancellationToken: TestTimeouts.Token());
            var unknown = await relayed.Client.CallToolAsync("get_agent", new Dictionary<string, object?> { ["name"] = "no-such-agent" }, cancellationToken: TestTimeouts.Token());

            relayed.Client.NegotiatedProtocolVersion.ShouldBe(protocolVersion);
            tools.Select(t => t.Name).ShouldContain("get_agent");
            listed.StructuredContent!.Value.GetProperty("agents").ValueKind.ShouldBe(JsonValueKind.Array);
            unknown.IsError.ShouldBe(true);
            Text(unknown).ShouldBe("Agent not found (HTTP 404): No agent named 'no-such-agent'. List agents with 'berth get agents'.");
            exitCode = await relayed.CloseAsync();
        }

        exitCode.ShouldBe(ExitCodes.Ok, "stdin ending is how a client stops berth mcp");
    }

    [Fact]
    public async Task Relay_SessionSubscription_DeliversTheServersNotificationsFromItsGetStream()
    {
        var name = $"wf-{Guid.NewGuid():N}"[..16];
        var uri = $"berth://workflows/{name}";
        await ApplyWorkflowAsync(name, generation: 0);
        var environment = new Dictionary<string, string> { ["BERTH_TOKEN"] = server.AdminToken };
        await using var relayed = await RelayedClient.ConnectAsync(environment, server.Url, "2025-11-25");
        var updates = System.Threading.Channels.Channel.CreateUnbounded<string>();
        await using var subscription = await relayed.Client.SubscribeToResourceAsync(
            uri, (notification, _) => { updates.Writer.TryWrite(notification.Uri); return ValueTask.CompletedTask; }, cancellationToken: TestTimeouts.Token());

        // Unsolicited messages travel on the session's GET stream, which the relay opens just after initialize: a change made
        // before it is open is not delivered, so each round changes the workflow again and waits for the notification.
        var deadline = TestTimeouts.Token();
        string? notified = null;
        for (var generation = 1; notified is null; generation++)
        {
            deadline.ThrowIfCancellationRequested();
            await ApplyWorkflowAsync(name, generation);
            using var round = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            round.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                notified = await updates.Reader.ReadAsync(round.Token);
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
            }
        }

        notified.ShouldBe(uri);
    }

    [Fact]
    public async Task Relay_LocalAdminTokenFile_IsSentOnceTheServerProvedItWroteIt()
    {
        var environment = new Dictionary<string, string> { ["BERTH_DATA_DIR"] = server.DataDirectory };
        await using var relayed = await RelayedClient.ConnectAsync(environment, server.Url);

        var tools = await relayed.Client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
        await relayed.CloseAsync();

        tools.Select(t => t.Name).ShouldContain("start_agent", "admin.token is an admin's: it sees the operator tools");
        relayed.Stderr.ShouldContain($"token from {Path.Combine(server.DataDirectory, "admin.token")}");
    }

    [Fact]
    public async Task Relay_RejectedToken_AnswersAJsonRpcErrorSayingHowToLogIn()
    {
        var result = await Harness(server.Url, token: "not-a-berth-token").RunAsync("mcp");

        var error = SingleError(result);
        error.GetProperty("id").GetInt32().ShouldBe(1);
        error.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("the token from BERTH_TOKEN was rejected");
        result.Err.ShouldContain("berth login");
        result.All.ShouldNotContain("not-a-berth-token");
    }

    [Fact]
    public async Task Relay_ServerAnswersWithAJsonRpcError_ClientGetsItWhole()
    {
        var discover = """{"jsonrpc":"2.0","id":5,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"v999.0.0","io.modelcontextprotocol/clientCapabilities":{}}}}""";

        var result = await Harness(server.Url, token: server.AdminToken, stdin: discover + "\n").RunAsync("mcp");

        var error = SingleError(result);
        error.GetProperty("id").GetInt32().ShouldBe(5);
        var data = error.GetProperty("error").GetProperty("data");
        data.GetProperty("requested").GetString().ShouldBe("v999.0.0", "the server's own error data, which the SDK's exception drops");
        data.GetProperty("supported").EnumerateArray().Select(v => v.GetString()).ShouldContain("2026-07-28");
    }

    [Fact]
    public async Task Relay_ServerUnreachable_AnswersAJsonRpcErrorAndExplainsOnStderr()
    {
        var unreachable = $"http://127.0.0.1:{UnusedPort.Get()}";

        var result = await Harness(unreachable, token: "t").RunAsync("mcp");

        result.ExitCode.ShouldBe(ExitCodes.Ok);
        var error = SingleError(result);
        error.GetProperty("id").GetInt32().ShouldBe(1);
        error.GetProperty("error").GetProperty("message").GetString()!.ShouldStartWith($"cannot reach Berth at {unreachable}");
        result.Err.ShouldContain("start it with 'berth server' or pass --server");
    }

    [Fact]
    public async Task Relay_LineLongerThanTheBound_IsRefusedAndTheNextMessageStillRelayed()
    {
        var unreachable = $"http://127.0.0.1:{UnusedPort.Get()}";
        var huge = new StringBuilder().Append("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"params\":{\"pad\":\"")
            .Append('x', Berth.Cli.Commands.Mcp.McpRelay.MaxLineChars).Append("\"}}\n").ToString();
        var harness = Harness(unreachable, token: "t", stdin: huge + Ping(2));

        var result = await harness.RunAsync("mcp");

        var lines = Messages(result);
        lines.Count.ShouldBe(2, result.ToString());
        var refused = lines.Single(l => l.GetProperty("id").ValueKind == JsonValueKind.Null);
        refused.GetProperty("error").GetProperty("code").GetInt32().ShouldBe(-32600);
        refused.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("longer than the 4194304");
        lines.ShouldContain(l => l.GetProperty("id").ValueKind == JsonValueKind.Number && l.GetProperty("id").GetInt32() == 2);
    }

    [Fact]
    public async Task Relay_ToolNameThatWouldSplitHeaders_IsRefusedAsAnInvalidRequest()
    {
        var call = """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"get_agent\r\nX-Injected: 1","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""";

        var result = await Harness(server.Url, token: server.AdminToken, stdin: call + "\n").RunAsync("mcp");

        var error = SingleError(result);
        error.GetProperty("id").GetInt32().ShouldBe(9);
        error.GetProperty("error").GetProperty("code").GetInt32().ShouldBe(-32600);
        error.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("cannot be sent to Berth");
    }

    [Fact]
    public async Task Relay_LineThatIsNotJson_IsAParseErrorNamingTheProblem()
    {
        var result = await Harness(server.Url, token: server.AdminToken, stdin: "this is not json\n").RunAsync("mcp");

        var error = SingleError(result);
        error.GetProperty("error").GetProperty("code").GetInt32().ShouldBe(-32700);
        result.Err.ShouldContain("not a JSON-RPC message");
    }

    private async Task ApplyWorkflowAsync(string name, int generation)
    {
        var yaml = $"apiVersion: berth/v1\nkind: Workflow\nmetadata:\n  name: {name}\nspec:\n  steps:\n    - id: ask\n      agent: {{ name: nobody, method: GET, path: /g{generation} }}\n";
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.AdminToken);
        using var response = await http.PutAsync($"/api/v1/workflows/{name}", new StringContent(yaml, Encoding.UTF8, "application/yaml"), TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
    }

    private static CliHarness Harness(string url, string token, string? stdin = null)
    {
        var harness = new CliHarness { Stdin = stdin ?? Ping(1) };
        harness.Environment["BERTH_URL"] = url;
        harness.Environment["BERTH_TOKEN"] = token;
        return harness;
    }

    private static string Ping(int id) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\",\"params\":{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}\n";

    private static List<JsonElement> Messages(CliResult result) =>
        [.. result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static JsonElement SingleError(CliResult result)
    {
        var message = Messages(result).ShouldHaveSingleItem(result.ToString());
        message.TryGetProperty("error", out _).ShouldBeTrue(result.ToString());
        return message;
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
