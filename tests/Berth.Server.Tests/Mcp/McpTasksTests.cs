using System.Text.Json.Nodes;
using Berth.Server.Tests.Audit;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// The tasks extension (SEP-2663) for run_workflow: a client that declares it gets a task that is the run, read from Berth's
/// store (so it survives a restart); a client that does not gets the plain result and cannot call tasks/*.
/// </summary>
public sealed class McpTasksTests(WorkflowAgentFixture fixture) : IClassFixture<WorkflowAgentFixture>
{
    private const string Extension = TaskRequests.Extension;

    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task RunWorkflow_ClientWithTasks_GetsATaskThatCompletesWithTheRunsOutputs(string protocolVersion)
    {
        var gate = Guid.NewGuid().ToString("N");
        var name = await fixture.ApplyAsync(null, fixture.Gated("wait", gate));
        await using var client = await ConnectAsync(Server.AdminToken, protocolVersion, tasks: true);

        var created = await CallAsync(client, "tools/call", new JsonObject { ["name"] = "run_workflow", ["arguments"] = new JsonObject { ["name"] = name, ["wait"] = "2m" } });
        var taskId = created["taskId"]!.GetValue<string>();
        var working = await CallAsync(client, "tasks/get", new JsonObject { ["taskId"] = taskId });
        fixture.Open(gate);
        var done = await Eventually.MatchAsync(
            ct => CallAsync(client, "tasks/get", new JsonObject { ["taskId"] = taskId }, ct), t => t["status"]!.GetValue<string>() != "working", "the task to finish");

        created["resultType"]!.GetValue<string>().ShouldBe("task");
        created["status"]!.GetValue<string>().ShouldBe("working");
        created.ContainsKey("ttlMs").ShouldBeTrue("ttlMs is always sent (null: the task lives as long as its run)");
        created.ContainsKey("result").ShouldBeFalse();
        working["taskId"]!.GetValue<string>().ShouldBe(taskId);
        working["status"]!.GetValue<string>().ShouldBe("working");
        working.ContainsKey("result").ShouldBeFalse();
        done["status"]!.GetValue<string>().ShouldBe("completed");
        done["resultType"]!.GetValue<string>().ShouldBe("complete");
        var outcome = done["result"]!["structuredContent"]!;
        outcome["state"]!.GetValue<string>().ShouldBe("succeeded");
        outcome["outputs"]!["wait"]!["body"]!["opened"]!.GetValue<string>().ShouldBe(gate);
        taskId.ShouldBe($"run-{outcome["id"]!.GetValue<string>()}", "the run is the task");
    }

    [Fact]
    public async Task TasksGet_AfterServerRestart_StillReadsTheTaskAndItCompletes()
    {
        var gate = Guid.NewGuid().ToString("N");
        var name = await fixture.ApplyAsync(null, fixture.Gated("wait", gate));
        string taskId;
        await using (var before = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: true))
        {
            var created = await CallAsync(before, "tools/call", new JsonObject { ["name"] = "run_workflow", ["arguments"] = new JsonObject { ["name"] = name } });
            taskId = created["taskId"]!.GetValue<string>();
        }

        await Server.RestartAsync();
        await using var after = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: true);
        var read = await CallAsync(after, "tasks/get", new JsonObject { ["taskId"] = taskId });
        fixture.Open(gate);
        var done = await Eventually.MatchAsync(
            ct => CallAsync(after, "tasks/get", new JsonObject { ["taskId"] = taskId }, ct), t => t["status"]!.GetValue<string>() != "working", "the resumed run to finish");

        read["taskId"]!.GetValue<string>().ShouldBe(taskId);
        done["status"]!.GetValue<string>().ShouldBe("completed");
        done["result"]!["structuredContent"]!["state"]!.GetValue<string>().ShouldBe("succeeded");
    }

    [Fact]
    public async Task TasksCancel_WorkingTask_AcknowledgesEmptyAndTheTaskEndsCancelled()
    {
        var gate = Guid.NewGuid().ToString("N");
        var name = await fixture.ApplyAsync(null, fixture.Gated("wait", gate));
        await using var client = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: true);
        var taskId = (await CallAsync(client, "tools/call", new JsonObject { ["name"] = "run_workflow", ["arguments"] = new JsonObject { ["name"] = name } }))["taskId"]!.GetValue<string>();

        var ack = await CallAsync(client, "tasks/cancel", new JsonObject { ["taskId"] = taskId });
        var cancelled = await Eventually.MatchAsync(
            ct => CallAsync(client, "tasks/get", new JsonObject { ["taskId"] = taskId }, ct), t => t["status"]!.GetValue<string>() != "working", "the task to end");
        var again = await CallAsync(client, "tasks/cancel", new JsonObject { ["taskId"] = taskId });
        fixture.Open(gate);

        JsonNode.DeepEquals(ack, new JsonObject { ["resultType"] = "complete" }).ShouldBeTrue(ack.ToJsonString());
        cancelled["status"]!.GetValue<string>().ShouldBe("cancelled");
        cancelled.ContainsKey("result").ShouldBeFalse();
        JsonNode.DeepEquals(again, new JsonObject { ["resultType"] = "complete" }).ShouldBeTrue("cancelling a finished task is acknowledged the same way");
        var audited = (await AuditRequests.ListAsync(Server)).Where(r => r.Action == "MCP tasks/cancel" && r.Target == $"taskId={taskId}").ToList();
        audited.Select(r => r.Outcome).ShouldBe(["allowed", "allowed"], "each cancel changes (or could change) a run, so each is audited");
    }

    [Fact]
    public async Task RunWorkflow_ClientWithoutTasks_GetsThePlainResultAndTasksMethodsAreRefused()
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        await using var client = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: false);

        var result = await client.CallToolAsync("run_workflow", new Dictionary<string, object?> { ["name"] = name }, cancellationToken: TestTimeouts.Token());
        var get = await Should.ThrowAsync<McpProtocolException>(() => CallAsync(client, "tasks/get", new JsonObject { ["taskId"] = $"run-{result.StructuredContent!.Value.GetProperty("id").GetString()}" }));

        result.IsError.ShouldNotBe(true);
        result.StructuredContent!.Value.TryGetProperty("taskId", out _).ShouldBeFalse();
        ((int)get.ErrorCode).ShouldBe(-32021);
        get.Message.ShouldContain(Extension);
    }

    [Fact]
    public async Task RunWorkflow_PerRequestOptIn_CreatesATaskForThatCallOnly()
    {
        var name = await fixture.ApplyAsync(null, fixture.Json("only"));
        await using var client = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: false);
        var meta = new JsonObject { ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject { ["extensions"] = new JsonObject { [Extension] = new JsonObject() } } };

        var created = await CallAsync(client, "tools/call", new JsonObject { ["name"] = "run_workflow", ["arguments"] = new JsonObject { ["name"] = name }, ["_meta"] = meta });

        created["resultType"]!.GetValue<string>().ShouldBe("task");
        created["taskId"]!.GetValue<string>().ShouldStartWith("run-");
    }

    [Theory]
    [InlineData("tasks/get", -32602)]
    [InlineData("tasks/cancel", -32602)]
    [InlineData("tasks/update", -32602)]
    [InlineData("tasks/result", -32601)]
    [InlineData("tasks/list", -32601)]
    public async Task TasksMethod_UnknownTaskOrRemovedMethod_IsTheErrorTheExtensionNames(string method, int code)
    {
        await using var client = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: true);

        var error = await Should.ThrowAsync<McpProtocolException>(() => CallAsync(client, method, new JsonObject { ["taskId"] = "run-no-such-run" }));

        ((int)error.ErrorCode).ShouldBe(code);
    }

    [Fact]
    public async Task TasksCancel_Viewer_IsRefusedNamingTheRoleAndTheRunGoesOn()
    {
        var gate = Guid.NewGuid().ToString("N");
        var name = await fixture.ApplyAsync(null, fixture.Gated("wait", gate));
        await using var operatorClient = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: true);
        var taskId = (await CallAsync(operatorClient, "tools/call", new JsonObject { ["name"] = "run_workflow", ["arguments"] = new JsonObject { ["name"] = name } }))["taskId"]!.GetValue<string>();
        var viewer = await TokenRequests.CreateAsync(Server, "viewer");
        await using var viewerClient = await ConnectAsync(viewer.Token, "2025-11-25", tasks: true);

        var read = await CallAsync(viewerClient, "tasks/get", new JsonObject { ["taskId"] = taskId });
        var refused = await Should.ThrowAsync<McpProtocolException>(() => CallAsync(viewerClient, "tasks/cancel", new JsonObject { ["taskId"] = taskId }));
        fixture.Open(gate);
        var done = await Eventually.MatchAsync(
            ct => CallAsync(operatorClient, "tasks/get", new JsonObject { ["taskId"] = taskId }, ct), t => t["status"]!.GetValue<string>() != "working", "the task to finish");

        read["status"]!.GetValue<string>().ShouldBe("working");
        refused.Message.ShouldContain("it needs the operator role or higher");
        done["status"]!.GetValue<string>().ShouldBe("completed");
        (await AuditRequests.SingleAsync(Server, "MCP tasks/cancel", $"taskId={taskId}")).Outcome.ShouldBe("denied");
    }

    [Fact]
    public async Task Capabilities_AdvertiseTheTasksExtension()
    {
        await using var client = await ConnectAsync(Server.AdminToken, "2025-11-25", tasks: true);

        client.ServerCapabilities.Extensions.ShouldNotBeNull().ShouldContainKey(Extension);
    }

    private Task<McpClient> ConnectAsync(string token, string protocolVersion, bool tasks) =>
        McpClients.ConnectAsync(Server, token, protocolVersion, capabilities: tasks ? TaskRequests.WithTasks() : null);

    private static Task<JsonObject> CallAsync(McpClient client, string method, JsonObject parameters, CancellationToken cancellationToken = default) =>
        TaskRequests.SendAsync(client, method, parameters, cancellationToken);
}
