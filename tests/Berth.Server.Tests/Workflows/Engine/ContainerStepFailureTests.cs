using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Testing;

namespace Berth.Server.Tests.Workflows.Engine;

[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class ContainerStepFailureTests : IAsyncLifetime
{
    private WorkflowServer _server = null!;

    public async Task InitializeAsync() => _server = await WorkflowServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Run_StepSleepsPastItsTimeout_KilledClassifiedTimeoutNoContainerLeft()
    {
        // Not timed here: a step left to finish its sleep would succeed, so the failure below is the kill.
        var step = WorkflowServer.Shell("nap", "echo dozing; sleep 60") with { Timeout = TimeSpan.FromSeconds(1) };

        var run = await _server.RunAsync(Workflow(step));

        run.State.ShouldBe(RunState.Failed);
        var nap = run.Steps!.Single();
        nap.State.ShouldBe(StepState.Failed);
        nap.Failure!.Class.ShouldBe(ErrorClass.Timeout);
        nap.Failure.Message.ShouldContain("timeout of 1s");
        nap.Attempt.ShouldBe(1);
        (await _server.ContainersLeftAsync(run.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Run_StepExitsNonZero_UserErrorWithExitCodeAndLogTailNotRetried()
    {
        var step = WorkflowServer.Shell("bad", "echo 'about to fail' >&2; exit 3") with { Retry = new StepRetrySpec { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(50) } };

        var run = await _server.RunAsync(Workflow(step, WorkflowServer.Shell("after", "echo never", dependsOn: ["bad"])));

        run.State.ShouldBe(RunState.Failed);
        run.Error.ShouldBe("step bad failed: the container exited with code 3; its log tail says why");
        var bad = run.Steps!.Single(s => s.Id == "bad");
        bad.Failure!.Class.ShouldBe(ErrorClass.User);
        bad.Failure.ExitCode.ShouldBe(3);
        bad.Failure.LogTail!.ShouldContain("about to fail");
        bad.Attempt.ShouldBe(1);
        run.Steps!.Single(s => s.Id == "after").State.ShouldBe(StepState.Skipped);
        (await _server.ContainersLeftAsync(run.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Run_StepExits137_ClassifiedResource()
    {
        // PID 1 cannot be sent SIGKILL from inside its own namespace, so a child shell is killed and its status passed on.
        var run = await _server.RunAsync(Workflow(WorkflowServer.Shell("killed", "/bin/busybox sh -c 'kill -9 $$'; exit $?")));

        var killed = run.Steps!.Single();
        killed.Failure!.Class.ShouldBe(ErrorClass.Resource);
        killed.Failure.ExitCode.ShouldBe(137);
    }

    [Fact]
    public async Task Run_MissingImage_ConfigErrorNamingTheImage()
    {
        var step = WorkflowServer.Shell("ghost", "true") is var s ? s with { Container = s.Container! with { Image = "berth-test/not-there:1" } } : null!;

        var run = await _server.RunAsync(Workflow(step));

        var ghost = run.Steps!.Single();
        ghost.Failure!.Class.ShouldBe(ErrorClass.Config);
        ghost.Failure.Message.ShouldContain("berth-test/not-there:1");
    }

    [Fact]
    public async Task Run_EightOneSecondStepsConcurrencyFour_RunSideBySideNeverMoreThanFourAtOnce()
    {
        var steps = Enumerable.Range(1, 8).Select(i => WorkflowServer.Shell($"s{i}", "sleep 1") with { Cache = new StepCacheSpec { Enabled = false } }).ToList();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var run = await _server.RunAsync(Workflow([.. steps]) with { Concurrency = 4 });

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var events = await _server.ContainerEventsAsync(run.Id, since, "start", "die");
        events.Count.ShouldBe(16);
        var running = 0;
        var most = 0;
        foreach (var item in events.OrderBy(e => e.TimeNano))
        {
            running += item.Action == "start" ? 1 : -1;
            most = Math.Max(most, running);
        }

        // how long it took belongs in bench/workflows: a busy machine may start containers slowly, never more than 4 at once
        most.ShouldBeInRange(2, 4);
    }

    [Fact]
    public async Task Run_WhenFalseAndContinueOnError_SkipsAndContinues()
    {
        var spec = Workflow(
            WorkflowServer.Shell("flaky", "exit 1") with { ContinueOnError = true },
            WorkflowServer.Shell("gated", "echo no") with { When = "${{ inputs.go }}" },
            WorkflowServer.Shell("downstream", "echo still", dependsOn: ["flaky"]),
            WorkflowServer.Shell("after-gated", "echo no", dependsOn: ["gated"])) with
        {
            Inputs = new Dictionary<string, WorkflowInputSpec> { ["go"] = new() { Type = InputType.Boolean, Default = false } },
        };

        var run = await _server.RunAsync(spec);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Steps!.ToDictionary(s => s.Id, s => s.State).ShouldBe(new Dictionary<string, StepState>
        {
            ["flaky"] = StepState.Failed,
            ["gated"] = StepState.Skipped,
            ["downstream"] = StepState.Succeeded,
            ["after-gated"] = StepState.Skipped,
        });
    }

    [Fact]
    public async Task Run_ForEach_RunsEachItemAndGathersOutputsInOrder()
    {
        var step = WorkflowServer.Shell("shout", "echo \"$WORD\" | tr a-z A-Z") is var s
            ? s with { ForEach = "${{ inputs.words }}", Container = s.Container! with { Env = new Dictionary<string, string> { ["WORD"] = "${{ item }}" } } }
            : null!;
        var spec = Workflow(step, WorkflowServer.Shell("join", "echo \"$ALL\"", env: new Dictionary<string, string> { ["ALL"] = "${{ steps.shout.items[2].stdout }}" })) with
        {
            Inputs = new Dictionary<string, WorkflowInputSpec> { ["words"] = new() { Type = InputType.List } },
        };

        await _server.ApplyAsync(spec);
        var run = await _server.WaitAsync((await _server.StartAsync(spec.Name, new() { ["words"] = new System.Text.Json.Nodes.JsonArray("a", "bb", "ccc") })).Id);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Steps!.Single(s => s.Id == "shout").Outputs!.Items!.Select(i => i.Stdout).ShouldBe(["A", "BB", "CCC"]);
        run.Steps!.Single(s => s.Id == "join").Outputs!.Stdout.ShouldBe("CCC");
    }

    private static WorkflowSpec Workflow(params StepSpec[] steps) => new() { Name = $"wf{Guid.NewGuid():N}"[..12], Steps = steps };
}
