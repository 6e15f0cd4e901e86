using System.Net;
using System.Text.Json;
using Berth.Testing;
using static Berth.Server.Tests.Mcp.McpToolsFixture;

namespace Berth.Server.Tests.Mcp;

public sealed class AgentToolsTests(McpToolsFixture fixture) : IClassFixture<McpToolsFixture>
{
    private static readonly string[] MutatingTools = ["apply", "remove_agent", "start_agent", "stop_agent", "restart_agent", "call_agent", "requeue_request"];

    private static readonly string[] ReadTools = ["list_agents", "get_agent", "agent_logs", "list_requests"];

    private readonly string _name = $"t{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Apply_AgentAndWorkflow_ReportsBothAndAgainUnchanged()
    {
        await using var client = await fixture.OperatorAsync();
        var yaml = AgentYaml(_name, replicas: 0) + "---\n" + WorkflowYaml(_name + "-wf", _name);

        var first = Structured(await CallAsync(client, "apply", ("yaml", yaml)));
        var second = Structured(await CallAsync(client, "apply", ("yaml", yaml)));

        Outcomes(first).ShouldBe([$"Agent/{_name}/created", $"Workflow/{_name}-wf/created"]);
        Outcomes(second).ShouldBe([$"Agent/{_name}/unchanged", $"Workflow/{_name}-wf/unchanged"]);
        (await fixture.Server.Http.GetAsync($"/api/v1/workflows/{_name}-wf", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.Server.GetAsync(_name)).Spec.Replicas.ShouldBe(0);
    }

    [Fact]
    public async Task Apply_SeveralInvalidDocuments_ReportsEveryErrorWithItsLineAndAppliesNothing()
    {
        await using var client = await fixture.OperatorAsync();
        var yaml = AgentYaml(_name + "-ok", replicas: 0) + "---\n" + AgentYaml(_name + "-a", replicas: 0).Replace("spec:\n", "spec:\n  port: 99999\n", StringComparison.Ordinal)
            + "---\n" + AgentYaml(_name + "-b", replicas: 0).Replace("spec:\n", "spec:\n  bogus: 1\n", StringComparison.Ordinal);

        var result = await CallAsync(client, "apply", ("yaml", yaml));

        result.IsError.ShouldBe(true);
        var text = Text(result);
        text.ShouldContain($"agents/{_name}-a: spec.port (line {LineOf(yaml, "port: 99999")}, column 9)");
        text.ShouldContain($"agents/{_name}-b: spec.bogus (line {LineOf(yaml, "bogus: 1")}, column 3)");
        text.ShouldEndWith("Nothing was applied.");
        (await fixture.Server.Http.GetAsync($"/api/v1/agents/{_name}-ok", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Apply_SecretThatDoesNotExist_IsCheckedByTheServerBeforeAnythingIsStored()
    {
        await using var client = await fixture.OperatorAsync();
        var yaml = AgentYaml(_name + "-ok", replicas: 0) + "---\n" +
            AgentYaml(_name, replicas: 0).Replace("spec:\n", "spec:\n  env:\n    KEY: ${secret:missing-" + _name + "}\n", StringComparison.Ordinal);

        var result = await CallAsync(client, "apply", ("yaml", yaml));

        Text(result).ShouldContain($"agents/{_name}: spec.env.KEY: secret 'missing-{_name}' does not exist");
        Text(result).ShouldEndWith("Nothing was applied.");
        (await fixture.Server.Http.GetAsync($"/api/v1/agents/{_name}-ok", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Apply_TextOverTheLimit_IsRefusedNamingItBeforeReading()
    {
        await using var client = await fixture.OperatorAsync();
        var yaml = AgentYaml(_name, replicas: 0) + "# " + new string('x', Berth.Server.Agents.SpecApplier.MaxTextLength) + "\n";

        var result = await CallAsync(client, "apply", ("yaml", yaml));

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain($"at most {Berth.Server.Agents.SpecApplier.MaxTextLength} are read at once");
        (await fixture.Server.Http.GetAsync($"/api/v1/agents/{_name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StopStartRestartRemove_Operator_DoWhatTheApiDoes()
    {
        await using var client = await fixture.OperatorAsync();
        Structured(await CallAsync(client, "apply", ("yaml", AgentYaml(_name, replicas: 1))));
        await fixture.Server.WaitRunningAsync(_name);

        var stopped = Structured(await CallAsync(client, "stop_agent", ("name", _name)));
        var started = Structured(await CallAsync(client, "start_agent", ("name", _name)));
        var restarted = Structured(await CallAsync(client, "restart_agent", ("name", _name)));
        var removed = Structured(await CallAsync(client, "remove_agent", ("name", _name)));

        stopped.GetProperty("desiredState").GetString().ShouldBe("stopped");
        started.GetProperty("desiredState").GetString().ShouldBe("running");
        restarted.GetProperty("generation").GetInt64().ShouldBe(started.GetProperty("generation").GetInt64() + 1);
        removed.GetProperty("completed").GetBoolean().ShouldBeTrue();
        (await fixture.Server.Http.GetAsync($"/api/v1/agents/{_name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RemoveAgent_UnknownName_IsAToolErrorWithTheCliMessage()
    {
        await using var client = await fixture.OperatorAsync();

        var result = await CallAsync(client, "remove_agent", ("name", _name));

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe($"Agent not found (HTTP 404): No agent named '{_name}'. List agents with 'berth get agents'.");
    }

    [Fact]
    public async Task AgentLogs_AgentThatPrints_ReturnsItsLastLinesWithSecretsRedacted()
    {
        var secret = $"s{_name}";
        var value = $"value-{Guid.NewGuid():N}";
        using (var content = new StringContent(value, System.Text.Encoding.UTF8, "text/plain"))
        {
            (await fixture.Server.Http.PutAsync($"/api/v1/secrets/{secret}", content, TestTimeouts.Token())).EnsureSuccessStatusCode();
        }

        await using var client = await fixture.OperatorAsync();
        var yaml = AgentYaml(_name, replicas: 1, script: "for i in 1 2 3 4 5; do echo line-$i; done; echo the key is $KEY; ")
            .Replace("spec:\n", $"spec:\n  env:\n    KEY: ${{secret:{secret}}}\n", StringComparison.Ordinal);
        Structured(await CallAsync(client, "apply", ("yaml", yaml)));
        await fixture.Server.WaitRunningAsync(_name);

        var logs = await Eventually.MatchAsync(
            async _ => Structured(await CallAsync(client, "agent_logs", ("name", _name), ("tail", 3))),
            l => l.GetProperty("lines").GetArrayLength() == 3 && Lines(l).Contains($"the key is [redacted:{secret}]"),
            "the agent's lines");

        Lines(logs).ShouldBe(["line-4", "line-5", $"the key is [redacted:{secret}]"]);
        logs.GetRawText().ShouldNotContain(value);
        var resource = string.Concat((await client.ReadResourceAsync($"berth://agents/{_name}/logs", cancellationToken: TestTimeouts.Token()))
            .Contents.OfType<ModelContextProtocol.Protocol.TextResourceContents>().Select(c => c.Text));
        resource.ShouldContain($"the key is [redacted:{secret}]", customMessage: "the logs resource goes to a model's provider as agent_logs does");
        resource.ShouldNotContain(value);
    }

    [Theory]
    [InlineData(0, "tail must be between 1 and 10000")]
    [InlineData(10001, "tail must be between 1 and 10000")]
    public async Task AgentLogs_TailOutOfBounds_IsRefused(int tail, string message)
    {
        await using var client = await fixture.OperatorAsync();

        var result = await CallAsync(client, "agent_logs", ("name", fixture.Durable), ("tail", tail));

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain(message);
    }

    [Fact]
    public async Task AgentLogs_BadSince_IsRefusedNamingTheForms()
    {
        await using var client = await fixture.ViewerAsync();

        var result = await CallAsync(client, "agent_logs", ("name", fixture.Durable), ("since", "yesterday"));

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("since must be a duration like 10m");
    }

    [Fact]
    public async Task ToolsList_Viewer_SeesTheReadToolsAndNoneThatChangeAnything()
    {
        await using var viewer = await fixture.ViewerAsync();
        await using var operatorClient = await fixture.OperatorAsync();

        var seen = (await viewer.ListToolsAsync(cancellationToken: TestTimeouts.Token())).Select(t => t.Name).ToList();
        var all = (await operatorClient.ListToolsAsync(cancellationToken: TestTimeouts.Token())).ToDictionary(t => t.Name);

        seen.ShouldBeSubsetOf(all.Keys);
        ReadTools.ShouldBeSubsetOf(seen);
        seen.Intersect(MutatingTools).ShouldBeEmpty();
        MutatingTools.ShouldBeSubsetOf(all.Keys);
        MutatingTools.ShouldAllBe(t => all[t].ProtocolTool.Annotations!.ReadOnlyHint == false);
        ReadTools.ShouldAllBe(t => all[t].ProtocolTool.Annotations!.ReadOnlyHint == true);
        all["remove_agent"].ProtocolTool.Annotations!.DestructiveHint.ShouldBe(true);
        all["start_agent"].ProtocolTool.Annotations!.DestructiveHint.ShouldBe(false);
        Arguments(all["call_agent"]).ShouldBe(["name", "method", "path", "body", "headers"], "the caller's principal is bound by the server, never an argument");
        Arguments(all["list_requests"]).ShouldBe(["agent", "state"]);
        Arguments(all["agent_logs"]).ShouldBe(["name", "tail", "since"]);
    }

    private static List<string> Arguments(ModelContextProtocol.Client.McpClientTool tool) =>
        tool.ProtocolTool.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();

    [Theory]
    [InlineData("apply", "yaml")]
    [InlineData("remove_agent", "name")]
    [InlineData("stop_agent", "name")]
    [InlineData("restart_agent", "name")]
    [InlineData("requeue_request", "id")]
    [InlineData("call_agent", "name")]
    public async Task MutatingTool_Viewer_IsRefusedNamingTheOperatorRole(string tool, string argument)
    {
        await using var client = await fixture.ViewerAsync();

        var result = await CallAsync(client, tool, (argument, fixture.Durable), ("method", "GET"), ("path", "/"));

        result.IsError.ShouldBe(true);
        Text(result).ShouldStartWith("Forbidden (HTTP 403):");
        Text(result).ShouldContain($"may not call {tool}: it needs the operator role");
        (await fixture.Server.GetAsync(fixture.Durable)).DesiredState.ShouldBe(Berth.Core.Agents.DesiredState.Running);
    }

    private string AgentYaml(string name, int replicas, string script = "") => $$"""
        apiVersion: berth/v1
        kind: Agent
        metadata:
          name: {{name}}
        spec:
          process:
            command: /bin/busybox
            args: ["sh", "-c", "{{script}}exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h {{fixture.Agent.Root}}"]
          health: { path: /health, interval: 2s, timeout: 1s }
          replicas: {{replicas}}

        """;

    private static string WorkflowYaml(string name, string agent) => $$"""
        apiVersion: berth/v1
        kind: Workflow
        metadata:
          name: {{name}}
        spec:
          steps:
            - id: ask
              agent: { name: {{agent}}, method: GET, path: / }

        """;

    private static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, index) => (line, index)).First(l => l.line.Contains(fragment, StringComparison.Ordinal)).index + 1;

    private static List<string> Outcomes(JsonElement applied) =>
        applied.GetProperty("documents").EnumerateArray()
            .Select(d => $"{d.GetProperty("kind").GetString()}/{d.GetProperty("name").GetString()}/{d.GetProperty("outcome").GetString()}")
            .ToList();

    private static List<string> Lines(JsonElement logs) =>
        logs.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("line").GetString()!).ToList();
}
