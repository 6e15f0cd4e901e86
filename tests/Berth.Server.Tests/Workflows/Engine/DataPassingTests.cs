using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Testing;

namespace Berth.Server.Tests.Workflows.Engine;

[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class DataPassingTests
{
    [Fact]
    public async Task Run_ChainOfContainerSteps_PassesFilesAndStdoutDownstream()
    {
        await using var server = await WorkflowServer.StartAsync();
        var spec = new WorkflowSpec
        {
            Name = $"wf{Guid.NewGuid():N}"[..12],
            Steps =
            [
                WorkflowServer.Shell("a", "mkdir -p /out && echo hello > /out/a.txt", outputs: ["/out/a.txt"]),
                WorkflowServer.Shell(
                    "b",
                    "mkdir -p /out && tr a-z A-Z < /in/a.txt > /out/b.txt; echo transformed",
                    files: new Dictionary<string, string> { ["/in/a.txt"] = "${{ steps.a.files['/out/a.txt'] }}" },
                    outputs: ["/out/b.txt"]),
                WorkflowServer.Shell(
                    "c",
                    "echo \"$(cat /in/a.txt)+$(cat /in/b.txt)+$B_SAID\"",
                    files: new Dictionary<string, string>
                    {
                        ["/in/a.txt"] = "${{ steps.a.files['/out/a.txt'] }}",
                        ["/in/b.txt"] = "${{ steps.b.files['/out/b.txt'] }}",
                    },
                    env: new Dictionary<string, string> { ["B_SAID"] = "${{ steps.b.stdout }}" }),
            ],
        };

        var run = await server.RunAsync(spec);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Steps!.Select(s => s.State).ShouldAllBe(s => s == StepState.Succeeded);
        var c = run.Steps!.Single(s => s.Id == "c");
        c.Outputs!.Stdout.ShouldBe("hello+HELLO+transformed");
        c.Needs.ShouldBe(["a", "b"]);
    }
}
