using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Testing;

namespace Berth.Server.Tests.Workflows.Engine;

[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class RunLifecycleTests : IAsyncLifetime
{
    private WorkflowServer _server = null!;

    public async Task InitializeAsync() => _server = await WorkflowServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Cancel_RunningStep_KillsItsContainerAndStoresTheRunCancelled()
    {
        var spec = Workflow(WorkflowServer.Shell("long", "echo started; sleep 60"), WorkflowServer.Shell("next", "echo never", dependsOn: ["long"]));
        await _server.ApplyAsync(spec);
        var run = await _server.StartAsync(spec.Name);
        await _server.WaitForAsync(run.Id, r => r.Steps!.Any(s => s.State == StepState.Running));

        // Not timed here: a step left running would finish its sleep and succeed, and its container would be left until then.
        using var response = await _server.Http.PostAsync($"/api/v1/runs/{run.Id}/cancel", null, TestTimeouts.Token());
        var done = await _server.WaitAsync(run.Id);
        using var again = await _server.Http.PostAsync($"/api/v1/runs/{run.Id}/cancel", null, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        done.State.ShouldBe(RunState.Cancelled);
        done.Error!.ShouldStartWith("cancelled by ");
        done.Steps!.Select(s => s.State).ShouldBe([StepState.Cancelled, StepState.Cancelled]);
        (await _server.ContainersLeftAsync(run.Id)).ShouldBe(0);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Run_TotalTimeoutPasses_StepStoppedAndRunFailsSayingSo()
    {
        var spec = Workflow(WorkflowServer.Shell("long", "sleep 60")) with { Timeout = TimeSpan.FromSeconds(2) };

        var run = await _server.RunAsync(spec);

        run.State.ShouldBe(RunState.Failed);
        run.Error.ShouldBe("the workflow's timeout of 2s passed");
        run.Steps!.Single().Failure!.Class.ShouldBe(ErrorClass.Timeout);
        (await _server.ContainersLeftAsync(run.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Events_FollowedWhileRunning_StreamStepsAndLogLinesThenEnd()
    {
        var spec = Workflow(WorkflowServer.Shell("talk", "sleep 1; echo first line; echo second line"));
        await _server.ApplyAsync(spec);
        var run = await _server.StartAsync(spec.Name);

        var text = await _server.Http.GetStringAsync($"/api/v1/runs/{run.Id}/events", TestTimeouts.Token());

        var types = text.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToList();
        types.ShouldBe(["run.queued", "run.started", "step.queued", "step.started", "step.log", "step.log", "step.succeeded", "run.succeeded"]);
        text.ShouldContain("\"message\":\"second line\"");
        var resumed = await _server.Http.GetStringAsync($"/api/v1/runs/{run.Id}/events?after=6", TestTimeouts.Token());
        resumed.Split('\n').Count(l => l.StartsWith("event: ", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Run_ChildWorkflowStep_RunsTheChildAndExposesItsOutputs()
    {
        var child = new WorkflowSpec
        {
            Name = $"child{Guid.NewGuid():N}"[..12],
            Inputs = new Dictionary<string, WorkflowInputSpec> { ["who"] = new() { Required = true } },
            Steps = [WorkflowServer.Shell("greet", "echo \"hello $WHO\"", env: new Dictionary<string, string> { ["WHO"] = "${{ inputs.who }}" })],
        };
        await _server.ApplyAsync(child);
        var parent = Workflow(
            new StepSpec
            {
                Id = "nested",
                
                Workflow = new ChildWorkflowStepSpec { Name = child.Name, Inputs = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["who"] = "parent" } },
            },
            WorkflowServer.Shell("echo", "echo \"child said: $SAID\"", env: new Dictionary<string, string> { ["SAID"] = "${{ steps.nested.outputs.greet.stdout }}" }));

        var run = await _server.RunAsync(parent);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Steps!.Single(s => s.Id == "echo").Outputs!.Stdout.ShouldBe("child said: hello parent");
        var children = await _server.Http.GetFromJsonAsync<List<RunView>>($"/api/v1/runs?workflow={child.Name}", BerthJson.Options, TestTimeouts.Token());
        children!.Single().ParentRunId.ShouldBe(run.Id);
        children!.Single().StartedBy.ShouldBe($"run/{run.Id}");
    }

    [Fact]
    public async Task Schedule_EverySecond_StartsRunsBySchedule()
    {
        var spec = Workflow(WorkflowServer.Shell("tick", "echo tick")) with { Schedules = [new ScheduleSpec { Cron = "* * * * * ?" }] };
        await _server.ApplyAsync(spec);

        var run = await WaitForRunAsync(spec.Name);
        await _server.Http.DeleteAsync($"/api/v1/workflows/{spec.Name}", TestTimeouts.Token());

        run.StartedBy.ShouldBe("schedule");
    }

    private async Task<RunView> WaitForRunAsync(string workflow) =>
        (await Eventually.MatchAsync(
            async token => (await _server.Http.GetFromJsonAsync<List<RunView>>($"/api/v1/runs?workflow={workflow}", BerthJson.Options, token))!,
            runs => runs.Count > 0,
            $"a run of {workflow}"))[^1];

    private static WorkflowSpec Workflow(params StepSpec[] steps) => new() { Name = $"wf{Guid.NewGuid():N}"[..12], Steps = steps };
}
