using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Server.Tests.Support;
using Berth.Core.Specs;
using Berth.Testing;
using ModelContextProtocol.Client;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// call_agent with the tasks extension: a call to an agent with persistence on becomes a task that is the stored request
/// (read from the request store, so it outlives a restart); without the extension, or with persistence off, the call is
/// answered when it ends, as before.
/// </summary>
public sealed class CallAgentTasksTests(McpToolsFixture fixture) : IClassFixture<McpToolsFixture>
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task CallAgent_ClientWithTasksDurableAgent_GetsTheStoredRequestAsATaskThatCompletesWithTheAgentsAnswer(string protocolVersion)
    {
        var gate = Guid.NewGuid().ToString("N");
        await using var client = await ConnectAsync(protocolVersion, tasks: true);

        var created = await TaskRequests.CallToolAsync(client, "call_agent", Gated(gate));
        var taskId = created["taskId"]!.GetValue<string>();
        var working = await TaskRequests.GetAsync(client, taskId);
        fixture.Open(gate);
        var done = await TaskRequests.FinishedAsync(client, taskId);
        var stored = await Server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{taskId["request-".Length..]}", TestTimeouts.Token());

        created["resultType"]!.GetValue<string>().ShouldBe("task");
        created["status"]!.GetValue<string>().ShouldBe("working");
        taskId.ShouldStartWith("request-");
        working["status"]!.GetValue<string>().ShouldBe("working");
        working.ContainsKey("result").ShouldBeFalse();
        done["status"]!.GetValue<string>().ShouldBe("completed");
        var answer = done["result"]!["structuredContent"]!;
        answer["status"]!.GetValue<int>().ShouldBe(200);
        answer["body"]!.GetValue<string>().ShouldBe($"opened={gate}\n");
        answer["bodyEncoding"]!.GetValue<string>().ShouldBe("utf-8");
        answer["truncated"]!.GetValue<bool>().ShouldBeFalse();
        answer["headers"]!["X-Gate"]!.GetValue<string>().ShouldBe(gate);
        answer["headers"]!["Berth-Request-Id"]!.GetValue<string>().ShouldBe(taskId["request-".Length..]);
        done["result"]!["isError"]?.GetValue<bool>().ShouldNotBe(true);
        stored.GetProperty("request").GetProperty("state").GetString().ShouldBe("completed", "the task is the request /api/v1/requests shows");
    }

    [Fact]
    public async Task TasksGet_AfterServerRestart_StillReadsTheCompletedCall()
    {
        var gate = Guid.NewGuid().ToString("N");
        string taskId;
        await using (var before = await ConnectAsync("2025-11-25", tasks: true))
        {
            taskId = (await TaskRequests.CallToolAsync(before, "call_agent", Gated(gate)))["taskId"]!.GetValue<string>();
            fixture.Open(gate);
            (await TaskRequests.FinishedAsync(before, taskId))["status"]!.GetValue<string>().ShouldBe("completed");
        }

        await Server.RestartAsync();
        await Server.WaitRunningAsync(fixture.Durable);
        await using var after = await ConnectAsync("2025-11-25", tasks: true);
        var read = await TaskRequests.GetAsync(after, taskId);

        read["status"]!.GetValue<string>().ShouldBe("completed");
        read["result"]!["structuredContent"]!["body"]!.GetValue<string>().ShouldBe($"opened={gate}\n");
    }

    [Fact]
    public async Task TasksGet_WorkingCallAcrossServerRestart_IsStillTheTaskAndCompletes()
    {
        var gate = Guid.NewGuid().ToString("N");
        string taskId;
        await using (var before = await ConnectAsync("2025-11-25", tasks: true))
        {
            taskId = (await TaskRequests.CallToolAsync(before, "call_agent", Gated(gate)))["taskId"]!.GetValue<string>();
        }

        await Server.RestartAsync();
        await using var after = await ConnectAsync("2025-11-25", tasks: true);
        var read = await TaskRequests.GetAsync(after, taskId);
        fixture.Open(gate);
        var done = await TaskRequests.FinishedAsync(after, taskId);

        read["status"]!.GetValue<string>().ShouldBe("working", "the request was on its way when the server stopped");
        done["status"]!.GetValue<string>().ShouldBe("completed");
        done["result"]!["structuredContent"]!["body"]!.GetValue<string>().ShouldBe($"opened={gate}\n", "the stored request is delivered again after the restart");
    }

    [Fact]
    public async Task CallAgent_CallersOwnIdempotencyKey_RepeatIsTheSameTask()
    {
        var gate = Guid.NewGuid().ToString("N");
        await using var client = await ConnectAsync("2025-11-25", tasks: true);
        var arguments = Gated(gate, new JsonObject { ["Idempotency-Key"] = $"key-{gate}" });

        var first = (await TaskRequests.CallToolAsync(client, "call_agent", arguments))["taskId"]!.GetValue<string>();
        fixture.Open(gate);
        var done = await TaskRequests.FinishedAsync(client, first);
        var repeat = await TaskRequests.CallToolAsync(client, "call_agent", arguments.DeepClone().AsObject());

        repeat["taskId"]!.GetValue<string>().ShouldBe(first, "the key names one stored request, so one task");
        repeat["status"]!.GetValue<string>().ShouldBe("completed");
        done["result"]!["structuredContent"]!["status"]!.GetValue<int>().ShouldBe(200);
    }

    [Fact]
    public async Task CallAgent_ClientWithTasksDeadLetteredRequest_TaskCompletesAsAToolErrorNamingTheDeadLetter()
    {
        var agent = $"mx{Guid.NewGuid():N}"[..12];
        (await Server.ApplyAsync(fixture.Agent.Spec(agent) with { Persistence = new PersistenceSpec { MaxAttempts = 1 } })).EnsureSuccessStatusCode();
        await Server.WaitRunningAsync(agent);
        await using var client = await ConnectAsync("2025-11-25", tasks: true);

        var created = await TaskRequests.CallToolAsync(client, "call_agent", new JsonObject { ["name"] = agent, ["method"] = "GET", ["path"] = "/cgi-bin/down" });
        var done = await TaskRequests.FinishedAsync(client, created["taskId"]!.GetValue<string>());

        created["resultType"]!.GetValue<string>().ShouldBe("task");
        done["status"]!.GetValue<string>().ShouldBe("completed", "the tool ran; the agent never took the request");
        done["result"]!["isError"]!.GetValue<bool>().ShouldBeTrue();
        var message = McpText(done["result"]!.AsObject());
        message.ShouldContain("dead letter");
        message.ShouldContain("the agent answered 503");
    }

    [Fact]
    public async Task CallAgent_ClientWithoutTasks_AnswersWhenTheCallEnds()
    {
        await using var client = await ConnectAsync("2025-11-25", tasks: false);

        var answer = await TaskRequests.CallToolAsync(client, "call_agent", Env(fixture.Durable));

        answer.ContainsKey("taskId").ShouldBeFalse();
        answer["structuredContent"]!["status"]!.GetValue<int>().ShouldBe(200);
        answer["structuredContent"]!["body"]!.GetValue<string>().ShouldContain($"agent={fixture.Durable}");
    }

    [Fact]
    public async Task CallAgent_ClientWithTasksPersistenceOff_AnswersWhenTheCallEnds()
    {
        await using var client = await ConnectAsync("2025-11-25", tasks: true);

        var answer = await TaskRequests.CallToolAsync(client, "call_agent", Env(fixture.Plain));

        answer.ContainsKey("taskId").ShouldBeFalse("a call that stores nothing has no task to read back");
        answer["resultType"]?.GetValue<string>().ShouldNotBe("task");
        answer["structuredContent"]!["status"]!.GetValue<int>().ShouldBe(200);
        answer["structuredContent"]!["body"]!.GetValue<string>().ShouldContain($"agent={fixture.Plain}");
    }

    [Fact]
    public async Task CallAgent_ClientWithTasksKeyReusedForAnotherRequest_IsAToolErrorNotATask()
    {
        await using var client = await ConnectAsync("2025-11-25", tasks: true);
        var key = $"key-{Guid.NewGuid():N}";
        var gate = Guid.NewGuid().ToString("N");
        fixture.Open(gate);
        var first = (await TaskRequests.CallToolAsync(client, "call_agent", Gated(gate, new JsonObject { ["Idempotency-Key"] = key })))["taskId"]!.GetValue<string>();

        var reused = await TaskRequests.CallToolAsync(client, "call_agent", Env(fixture.Durable, new JsonObject { ["Idempotency-Key"] = key }));

        first.ShouldStartWith("request-");
        reused.ContainsKey("taskId").ShouldBeFalse();
        reused["isError"]!.GetValue<bool>().ShouldBeTrue();
        McpText(reused).ShouldContain("Idempotency-Key");
    }

    private static JsonObject Env(string agent, JsonObject? headers = null) =>
        new() { ["name"] = agent, ["method"] = "GET", ["path"] = "/cgi-bin/env", ["headers"] = headers };

    private JsonObject Gated(string gate, JsonObject? headers = null) =>
        new() { ["name"] = fixture.Durable, ["method"] = "GET", ["path"] = $"/cgi-bin/gate?{gate}", ["headers"] = headers };

    private static string McpText(JsonObject result) =>
        string.Concat(result["content"]!.AsArray().Select(block => block!["text"]?.GetValue<string>()));

    private Task<McpClient> ConnectAsync(string protocolVersion, bool tasks) =>
        McpClients.ConnectAsync(Server, fixture.OperatorToken, protocolVersion, capabilities: tasks ? TaskRequests.WithTasks() : null);
}
