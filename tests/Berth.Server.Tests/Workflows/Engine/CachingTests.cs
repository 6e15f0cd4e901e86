using System.Text.Json.Nodes;
using Berth.Core.Workflows;
using Berth.Client.Contracts;
using Berth.Core.Workflows.Runs;
using Berth.Testing;

namespace Berth.Server.Tests.Workflows.Engine;

[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class CachingTests
{
    [Fact]
    public async Task Run_Twice_SecondRunStartsNoContainerAndChangedInputRerunsOnlyDownstream()
    {
        await using var server = await WorkflowServer.StartAsync();
        var spec = new WorkflowSpec
        {
            Name = $"wf{Guid.NewGuid():N}"[..12],
            Inputs = new Dictionary<string, WorkflowInputSpec> { ["data"] = new() { Type = InputType.Text } },
            Steps =
            [
                WorkflowServer.Shell("a", "mkdir -p /out && sed s/^/a:/ /in/data.txt > /out/a.txt", files: new Dictionary<string, string> { ["/in/data.txt"] = "${{ inputs.data }}" }, outputs: ["/out/a.txt"]),
                WorkflowServer.Shell("b", "echo independent"),
                WorkflowServer.Shell("c", "cat /in/a.txt", files: new Dictionary<string, string> { ["/in/a.txt"] = "${{ steps.a.files['/out/a.txt'] }}" }),
                WorkflowServer.Shell("d", "echo \"after $B\"", env: new Dictionary<string, string> { ["B"] = "${{ steps.b.stdout }}" }),
            ],
        };
        await server.ApplyAsync(spec);

        var first = await RunAsync(server, spec.Name, "one");
        var second = await RunAsync(server, spec.Name, "one");
        var third = await RunAsync(server, spec.Name, "two");

        first.Containers.ShouldBe(4);
        first.Run.Steps!.ShouldAllBe(s => s.State == StepState.Succeeded);
        second.Containers.ShouldBe(0);
        second.Run.State.ShouldBe(RunState.Succeeded);
        second.Run.Steps!.ShouldAllBe(s => s.State == StepState.Cached);
        Stdout(second.Run).ShouldBe(Stdout(first.Run));
        third.Containers.ShouldBe(2);
        third.Run.Steps!.Where(s => s.State == StepState.Succeeded).Select(s => s.Id).ShouldBe(["a", "c"]);
        third.Run.Steps!.Where(s => s.State == StepState.Cached).Select(s => s.Id).ShouldBe(["b", "d"]);
        Stdout(third.Run)["c"].ShouldBe("a:two");
        var explained = await server.ExplainAsync(third.Run.Id, "a");
        explained.Hit.ShouldBeFalse();
        explained.Differences.ShouldBe(["file:/in/data.txt changed"]);
        explained.Message.ShouldContain("file:/in/data.txt changed");
        (await server.ExplainAsync(second.Run.Id, "a")).Hit.ShouldBeTrue();
    }

    private static async Task<(RunView Run, int Containers)> RunAsync(WorkflowServer server, string workflow, string data)
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var started = await server.StartAsync(workflow, new JsonObject { ["data"] = data });
        var run = await server.WaitAsync(started.Id);
        run.State.ShouldBe(RunState.Succeeded, run.Error);
        return (run, await server.ContainersCreatedAsync(run.Id, since));
    }

    private static Dictionary<string, string?> Stdout(RunView run) => run.Steps!.ToDictionary(s => s.Id, s => s.Outputs?.Stdout);
}
