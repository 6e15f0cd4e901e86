using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>The workflow tools over MCP against a real server whose workflows call a process agent (no Docker).</summary>
public sealed class WorkflowToolsTests(WorkflowAgentFixture fixture) : IClassFixture<WorkflowAgentFixture>
{
    private static readonly Dictionary<string, WorkflowInputSpec> WordInput = new() { ["word"] = new WorkflowInputSpec { Required = true } };

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task ListWorkflows_AppliedWorkflow_ShowsItsStepsAndInputs()
    {
        var name = await fixture.ApplyAsync(WordInput, fixture.Json("only"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var result = await client.CallToolAsync("list_workflows", cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true);
        var workflow = result.StructuredContent!.Value.GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("name").GetString() == name);
        workflow.GetProperty("steps").EnumerateArray().Select(s => s.GetString()).ShouldBe(["only"]);
        workflow.GetProperty("inputs").GetProperty("word").GetProperty("required").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task RunWorkflow_Wait_ReturnsOutputsAndOneProgressNotificationPerStepInOrder(string protocolVersion)
    {
        var name = await fixture.ApplyAsync(
            WordInput,
            fixture.Json("first", new JsonObject { ["word"] = "${{ inputs.word }}" }),
            fixture.Json("second", new JsonObject { ["from"] = "${{ steps.first.body.got.word }}" }),
            fixture.Json("third", null, "second"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, protocolVersion);
        // Every progress notification of the session: the SDK drops those its per-call handler sees after the answer.
        var progress = new ConcurrentQueue<ProgressNotificationParams>();
        await using var listening = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            progress.Enqueue(JsonSerializer.Deserialize<ProgressNotificationParams>(notification.Params, McpJsonUtilities.DefaultOptions)!);
            return ValueTask.CompletedTask;
        });

        var result = await client.CallToolAsync(
            "run_workflow", new Dictionary<string, object?> { ["name"] = name, ["inputs"] = new { word = "hello" }, ["wait"] = "2m" }, new Progress<ProgressNotificationValue>(), cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true, Text(result));
        var outcome = result.StructuredContent!.Value;
        outcome.GetProperty("state").GetString().ShouldBe("succeeded");
        outcome.GetProperty("finished").GetBoolean().ShouldBeTrue();
        outcome.GetProperty("outputs").GetProperty("second").GetProperty("body").GetProperty("got").GetProperty("from").GetString().ShouldBe("hello");
        var seen = await Eventually.MatchAsync(
            _ => Task.FromResult(progress.Select(p => p.Progress).ToList()), v => v.Count >= 3, v => $"three progress notifications; got {string.Join(" | ", v?.Select(n => n.Message) ?? [])}", TestTimeouts.Quick);
        // The client may run notification handlers concurrently, so the order they see is not the wire's; the count each carries is.
        var ordered = seen.OrderBy(v => v.Progress).ToList();
        ordered.Select(v => v.Progress).ShouldBe([1f, 2f, 3f]);
        ordered.ShouldAllBe(v => v.Total == 3);
        ordered.Select(v => v.Message).ShouldBe(["step first succeeded (1 of 3)", "step second succeeded (2 of 3)", "step third succeeded (3 of 3)"]);
    }

    [Fact]
    public async Task RunWorkflow_WaitEndsFirst_ReturnsTheRunStillRunningAndItGoesOn()
    {
        var gate = Guid.NewGuid().ToString("N");
        var name = await fixture.ApplyAsync(null, fixture.Gated("wait", gate));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var result = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name, ["wait"] = "1s" }, cancellationToken: TestTimeouts.Token());
        fixture.Open(gate);

        result.IsError.ShouldNotBe(true, Text(result));
        var outcome = result.StructuredContent!.Value;
        outcome.GetProperty("finished").GetBoolean().ShouldBeFalse();
        outcome.TryGetProperty("outputs", out _).ShouldBeFalse();
        outcome.GetProperty("message").GetString()!.ShouldContain("after 1s (0 of 1 steps finished); it goes on");
        var id = outcome.GetProperty("id").GetString()!;
        (await Eventually.MatchAsync(ct => GetAsync(id, ct), r => r.State != Core.Workflows.Runs.RunState.Running && r.State != Core.Workflows.Runs.RunState.Queued, "the run to end"))
            .State.ShouldBe(Core.Workflows.Runs.RunState.Succeeded);
    }

    [Fact]
    public async Task RunWorkflow_NoWait_ReturnsTheQueuedRunWhichTheApiShows()
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var result = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true, Text(result));
        var id = result.StructuredContent!.Value.GetProperty("id").GetString()!;
        result.StructuredContent.Value.GetProperty("finished").GetBoolean().ShouldBeFalse();
        result.StructuredContent.Value.TryGetProperty("outputs", out _).ShouldBeFalse();
        var run = await Server.Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{id}", BerthJson.Options, TestTimeouts.Token());
        run!.Workflow.ShouldBe(name);
        run.StartedBy.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task RunWorkflow_MissingRequiredInput_IsAToolErrorNamingTheInput()
    {
        var name = await fixture.ApplyAsync(WordInput, fixture.Json("only"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);
        using var rest = await Server.Http.PostAsJsonAsync($"/api/v1/workflows/{name}/runs", new StartRunRequest(), BerthJson.Options, TestTimeouts.Token());

        var result = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("word");
        var problem = await rest.Content.ReadFromJsonAsync<JsonObject>(BerthJson.Options, TestTimeouts.Token());
        Text(result).ShouldContain(problem!["errors"]![0]!["message"]!.GetValue<string>(), Case.Sensitive, "the same error the REST API names");
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("soon")]
    [InlineData("0s")]
    public async Task RunWorkflow_WaitOutOfBounds_IsAToolErrorAndStartsNothing(string wait)
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var result = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name, ["wait"] = wait }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldStartWith($"wait must be a duration like 30s or 5m, at most 10m, or true (waits 2m); got '{wait}'");
        (await Server.Http.GetFromJsonAsync<List<RunView>>($"/api/v1/runs?workflow={name}", BerthJson.Options, TestTimeouts.Token()))!.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetRun_FinishedRun_IsTheApisView()
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);
        var id = await RunAsync(client, name, wait: "2m");

        var result = await client.CallToolAsync("get_run", new Dictionary<string, object?> { ["id"] = id }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true, Text(result));
        var api = await Server.Http.GetStringAsync($"/api/v1/runs/{id}", TestTimeouts.Token());
        JsonNode.DeepEquals(JsonNode.Parse(result.StructuredContent!.Value.GetRawText()), JsonNode.Parse(api)).ShouldBeTrue($"MCP: {result.StructuredContent}\nAPI: {api}");
    }

    [Fact]
    public async Task GetRun_UnknownId_IsAToolErrorWithTheCliMessage()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var result = await client.CallToolAsync("get_run", new Dictionary<string, object?> { ["id"] = "no-such-run" }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldStartWith("Run not found (HTTP 404)");
    }

    [Theory]
    [InlineData("get_run", "id")]
    [InlineData("cancel_run", "id")]
    [InlineData("run_workflow", "name")]
    [InlineData("explain_step", "run")]
    public async Task Tool_HugeOrControlCharacterName_IsAShortToolErrorNamingTheArgument(string tool, string argument)
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);
        var arguments = tool == "explain_step" ? new Dictionary<string, object?> { ["step"] = "s" } : [];
        arguments[argument] = new string('x', 10_000);
        var control = new Dictionary<string, object?>(arguments) { [argument] = "bad\r\nname" };

        var huge = await client.CallToolAsync(tool, arguments, cancellationToken: TestTimeouts.Token());
        var split = await client.CallToolAsync(tool, control, cancellationToken: TestTimeouts.Token());

        huge.IsError.ShouldBe(true);
        Text(huge).ShouldBe($"{argument} must be 1 to 128 characters without control characters; no workflow, run or step is named otherwise.");
        split.IsError.ShouldBe(true);
        Text(split).ShouldBe(Text(huge));
    }

    [Fact]
    public async Task CancelRun_RunningRun_EndsCancelledAndASecondCancelSaysItFinished()
    {
        var gate = Guid.NewGuid().ToString("N");
        var name = await fixture.ApplyAsync(null, fixture.Gated("wait", gate));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);
        var id = await RunAsync(client, name);
        await Eventually.TrueAsync(async ct => (await GetAsync(id, ct)).Steps!.Single().State == Core.Workflows.Runs.StepState.Running, "the step to run");

        var cancel = await client.CallToolAsync("cancel_run", new Dictionary<string, object?> { ["id"] = id }, cancellationToken: TestTimeouts.Token());
        var run = await Eventually.MatchAsync(ct => GetAsync(id, ct), r => r.State == Core.Workflows.Runs.RunState.Cancelled, "the run to be cancelled");
        var again = await client.CallToolAsync("cancel_run", new Dictionary<string, object?> { ["id"] = id }, cancellationToken: TestTimeouts.Token());
        fixture.Open(gate);

        cancel.IsError.ShouldNotBe(true, Text(cancel));
        cancel.StructuredContent!.Value.GetProperty("id").GetString().ShouldBe(id);
        run.Error.ShouldNotBeNull().ShouldContain("cancelled by");
        again.IsError.ShouldBe(true);
        Text(again).ShouldBe($"Conflict (HTTP 409): Run {id} already finished (cancelled); there is nothing to cancel.");
    }

    [Fact]
    public async Task ExplainStep_AgentStep_SaysWhatTheApiSays()
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);
        var id = await RunAsync(client, name, wait: "2m");

        var result = await client.CallToolAsync("explain_step", new Dictionary<string, object?> { ["run"] = id, ["step"] = "only" }, cancellationToken: TestTimeouts.Token());
        var missing = await client.CallToolAsync("explain_step", new Dictionary<string, object?> { ["run"] = id, ["step"] = "nope" }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true, Text(result));
        var api = await Server.Http.GetFromJsonAsync<CacheExplanation>($"/api/v1/runs/{id}/steps/only/explain", BerthJson.Options, TestTimeouts.Token());
        result.StructuredContent!.Value.GetProperty("message").GetString().ShouldBe(api!.Message);
        result.StructuredContent.Value.GetProperty("hit").GetBoolean().ShouldBeFalse();
        missing.IsError.ShouldBe(true);
        Text(missing).ShouldContain("has no step 'nope'; its steps are only");
    }

    [Fact]
    public async Task Viewer_ListsOnlyReadOnlyWorkflowToolsAndIsRefusedRunAndCancelNamingTheRole()
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        var viewer = await TokenRequests.CreateAsync(Server, "viewer");
        await using var client = await McpClients.ConnectAsync(Server, viewer.Token);

        var tools = (await client.ListToolsAsync(cancellationToken: TestTimeouts.Token())).Select(t => t.Name).ToList();
        var run = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name }, cancellationToken: TestTimeouts.Token());
        var cancel = await client.CallToolAsync("cancel_run", new Dictionary<string, object?> { ["id"] = "any" }, cancellationToken: TestTimeouts.Token());

        tools.ShouldContain("list_workflows");
        tools.ShouldContain("get_run");
        tools.ShouldContain("explain_step");
        tools.ShouldNotContain("run_workflow");
        tools.ShouldNotContain("cancel_run");
        run.IsError.ShouldBe(true);
        Text(run).ShouldContain("may not call run_workflow: it needs the operator role or higher");
        cancel.IsError.ShouldBe(true);
        Text(cancel).ShouldContain("may not call cancel_run: it needs the operator role or higher");
        (await Server.Http.GetFromJsonAsync<List<RunView>>($"/api/v1/runs?workflow={name}", BerthJson.Options, TestTimeouts.Token()))!.ShouldBeEmpty();
    }

    [Fact]
    public async Task ToolsList_WorkflowTools_CarryHonestAnnotationsAndOnlyTheirArguments()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var listed = await client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
        var tools = listed.ToDictionary(t => t.Name, t => t.ProtocolTool.Annotations);
        var run = listed.Single(t => t.Name == "run_workflow").ProtocolTool.InputSchema;

        tools["list_workflows"]!.ReadOnlyHint.ShouldBe(true);
        tools["get_run"]!.ReadOnlyHint.ShouldBe(true);
        tools["explain_step"]!.ReadOnlyHint.ShouldBe(true);
        tools["run_workflow"]!.ReadOnlyHint.ShouldBe(false);
        tools["run_workflow"]!.IdempotentHint.ShouldBe(false);
        tools["cancel_run"]!.DestructiveHint.ShouldBe(true);
        run.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(["name", "inputs", "wait"], ignoreOrder: true);
        run.GetProperty("required").EnumerateArray().Select(p => p.GetString()).ShouldBe(["name"]);
    }

    private async Task<RunView> GetAsync(string id, CancellationToken ct) =>
        (await Server.Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{id}", BerthJson.Options, ct))!;

    private static async Task<string> RunAsync(McpClient client, string name, string? wait = null)
    {
        var result = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name, ["wait"] = wait }, cancellationToken: TestTimeouts.Token());
        result.IsError.ShouldNotBe(true, Text(result));
        if (wait is not null)
        {
            result.StructuredContent!.Value.GetProperty("state").GetString().ShouldBe("succeeded", Text(result));
        }

        return result.StructuredContent!.Value.GetProperty("id").GetString()!;
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
