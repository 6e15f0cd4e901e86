using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Hosting;
using Berth.Server.Workflows.Resilience;
using Berth.Testing;
using Berth.Testing.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Server.Tests.Workflows.Engine;

/// <summary>Agent steps against a real busybox httpd agent (a process) whose CGI scripts count their calls in files.</summary>
[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class AgentStepTests : IAsyncLifetime
{
    // Answers 503 to its first two calls and JSON after; each call is one line in flaky.calls.
    private const string Flaky = """
        #!/bin/sh
        echo call >> {root}/flaky.calls
        n=$(wc -l < {root}/flaky.calls)
        if [ "$n" -le 2 ]; then printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nbusy\n'; exit 0; fi
        body=$(head -c "$CONTENT_LENGTH")
        printf 'Status: 200 OK\r\nContent-Type: application/json\r\n\r\n{"call": %s, "got": %s}\n' "$n" "$body"
        """;

    // Answers 422 naming what it rejects; each call is one line in reject.calls.
    private const string Reject = """
        #!/bin/sh
        echo call >> {root}/reject.calls
        printf 'Status: 422 Unprocessable Entity\r\nContent-Type: text/plain\r\n\r\nno such word\n'
        """;

    // Answers 503 while {root}/broken exists, JSON after; each call is one line in down.calls.
    private const string Down = """
        #!/bin/sh
        echo call >> {root}/down.calls
        if [ -e {root}/broken ]; then printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nbroken\n'; exit 0; fi
        printf 'Status: 200 OK\r\nContent-Type: application/json\r\n\r\n{"ok": true}\n'
        """;

    // An hour of real time would outlast the test: only the breakers' fake clock can end the break.
    private static readonly TimeSpan BreakDuration = TimeSpan.FromHours(1);

    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];
    private readonly FakeTimeProvider _breakerClock = new();
    private WorkflowServer _server = null!;

    public async Task InitializeAsync()
    {
        Script("flaky", Flaky);
        Script("reject", Reject);
        Script("down", Down);
        _server = await WorkflowServer.StartAsync(
            ["--Berth:Workflows:CircuitBreaker:Failures=3", $"--Berth:Workflows:CircuitBreaker:BreakDuration={BreakDuration:c}"],
            services => services.AddSingleton(s => new CircuitBreakers(s.GetRequiredService<IOptions<BerthOptions>>(), _breakerClock)));
        (await _server.Server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.Server.WaitRunningAsync(_name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Run_AgentFailsTransientlyTwice_SucceedsOnAttempt3WithItsJson()
    {
        var step = Call("ask", "/cgi-bin/flaky") with { Retry = new StepRetrySpec { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(100), Jitter = false } };

        var run = await _server.RunAsync(Workflow(step));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var ask = run.Steps!.Single();
        ask.Attempt.ShouldBe(3);
        ask.Outputs!.Status.ShouldBe(200);
        ask.Outputs.Body!["call"]!.GetValue<int>().ShouldBe(3);
        ask.Outputs.Body!["got"]!["word"]!.GetValue<string>().ShouldBe("hello");
        Calls("flaky").ShouldBe(3);
        var events = await _server.EventsAsync(run.Id);
        events.Count(e => e.Type == "step.retrying").ShouldBe(2);
        events.First(e => e.Type == "step.retrying").Message!.ShouldContain("transient: agent");
    }

    [Fact]
    public async Task Restart_WhileStepWaitsToRetry_ResumedStepKeepsItsBackoff()
    {
        var step = Call("ask", "/cgi-bin/flaky") with
        {
            Retry = new StepRetrySpec { MaxAttempts = 5, Backoff = BackoffKind.Constant, InitialDelay = TimeSpan.FromSeconds(3), Jitter = false },
        };
        var spec = Workflow(step);
        await _server.ApplyAsync(spec);
        var started = await _server.StartAsync(spec.Name);
        var retrying = await _server.WaitForAsync(started.Id, r => r.Steps!.Single().State == StepState.Retrying);

        await _server.Server.RestartAsync("auto");
        var run = await _server.WaitAsync(started.Id);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Steps!.Single().Attempt.ShouldBe(3);
        var second = (await _server.EventsAsync(run.Id)).First(e => e.Type == "step.started" && e.Attempt == 2);
        second.Time.ShouldBeGreaterThanOrEqualTo(retrying.Steps!.Single().RetryAt!.Value.AddMilliseconds(-50));
        (await _server.EventsAsync(run.Id)).ShouldContain(e => e.Type == "run.resumed");
    }

    [Fact]
    public async Task Run_StepWaitingToRetry_LeavesItsConcurrencySlotToOthers()
    {
        var flaky = Call("ask", "/cgi-bin/flaky") with
        {
            Retry = new StepRetrySpec { MaxAttempts = 3, Backoff = BackoffKind.Constant, InitialDelay = TimeSpan.FromSeconds(2), Jitter = false },
        };
        var spec = Workflow(flaky, WorkflowServer.Shell("other", "echo meanwhile") with { Cache = new StepCacheSpec { Enabled = false } }) with { Concurrency = 1 };

        var run = await _server.RunAsync(spec);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var events = await _server.EventsAsync(run.Id);
        var otherDone = events.Single(e => e.Type == "step.succeeded" && e.StepId == "other").Time;
        var secondAttempt = events.Single(e => e.Type == "step.started" && e.StepId == "ask" && e.Attempt == 2).Time;
        otherDone.ShouldBeLessThan(secondAttempt);
    }

    [Fact]
    public async Task Run_AgentAnswers422_UserErrorNotRetried()
    {
        var step = Call("ask", "/cgi-bin/reject") with { Retry = new StepRetrySpec { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(100) } };

        var run = await _server.RunAsync(Workflow(step));

        run.State.ShouldBe(RunState.Failed);
        var ask = run.Steps!.Single();
        ask.Failure!.Class.ShouldBe(ErrorClass.User);
        ask.Failure.Message.ShouldContain("422");
        ask.Failure.LogTail!.ShouldContain("no such word");
        ask.Attempt.ShouldBe(1);
        Calls("reject").ShouldBe(1);
    }

    [Fact]
    public async Task Run_AfterConfiguredFailures_FailsFastCircuitOpenThenRecoversAfterTheBreak()
    {
        File.WriteAllText(Path.Combine(_agent.Root, "broken"), "");
        var spec = Workflow(Call("ask", "/cgi-bin/down"));
        await _server.ApplyAsync(spec);

        for (var i = 0; i < 3; i++)
        {
            var failed = await _server.WaitAsync((await _server.StartAsync(spec.Name)).Id);
            failed.Steps!.Single().Failure!.Class.ShouldBe(ErrorClass.Transient);
        }

        var fast = await _server.WaitAsync((await _server.StartAsync(spec.Name)).Id);
        var circuits = await _server.Http.GetFromJsonAsync<List<CircuitView>>("/api/v1/circuits", BerthJson.Options, TestTimeouts.Token());
        File.Delete(Path.Combine(_agent.Root, "broken"));
        var stillOpen = await _server.WaitAsync((await _server.StartAsync(spec.Name)).Id);
        _breakerClock.Advance(BreakDuration + TimeSpan.FromSeconds(1));
        var recovered = await _server.WaitAsync((await _server.StartAsync(spec.Name)).Id);

        fast.Steps!.Single().Failure!.Class.ShouldBe(ErrorClass.CircuitOpen);
        fast.Steps!.Single().Failure!.Message.ShouldContain($"agent:{_name}");
        circuits!.ShouldContain(new CircuitView($"agent:{_name}", "open"));
        stillOpen.Steps!.Single().Failure!.Class.ShouldBe(ErrorClass.CircuitOpen, "the agent answers again, but the break has not ended");
        recovered.State.ShouldBe(RunState.Succeeded, recovered.Error);
        Calls("down").ShouldBe(4, "three failures and the call after the break; none while the circuit was open");
    }

    private StepSpec Call(string id, string path) => new()
    {
        Id = id,
        
        Agent = new AgentStepSpec { Name = _name, Path = path, Body = new System.Text.Json.Nodes.JsonObject { ["word"] = "hello" } },
    };

    private static WorkflowSpec Workflow(params StepSpec[] steps) => new() { Name = $"wf{Guid.NewGuid():N}"[..12], Steps = steps };

    private int Calls(string script) =>
        File.Exists(Path.Combine(_agent.Root, $"{script}.calls")) ? File.ReadAllLines(Path.Combine(_agent.Root, $"{script}.calls")).Length : 0;

    private void Script(string name, string text)
    {
        var path = Path.Combine(_agent.Root, "cgi-bin", name);
        AgentFiles.WriteScript(path, text.Replace("{root}", _agent.Root, StringComparison.Ordinal));
    }
}
