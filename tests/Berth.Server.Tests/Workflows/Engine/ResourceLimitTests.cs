using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Workflows.Engine;

[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class ResourceLimitTests : IAsyncLifetime
{
    private WorkflowServer _server = null!;

    public async Task InitializeAsync() => _server = await WorkflowServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Run_StepAllocatesPastItsMemoryLimit_FailsAsResourceOutOfMemoryNotRetried()
    {
        // busybox dd allocates its whole 64 MiB block up front, eight times the step's limit; the pause lets containerd start
        // watching the container's OOM events, which an OOM in its first milliseconds can escape on cgroup v1
        var spec = Read("sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1", "8Mi");

        var run = await _server.RunAsync(spec);

        run.State.ShouldBe(RunState.Failed);
        var hog = run.Steps!.Single();
        hog.Failure!.Class.ShouldBe(ErrorClass.Resource);
        hog.Failure.Message.ShouldContain("out of memory");
        hog.Failure.ExitCode.ShouldBe(137);
        hog.Attempt.ShouldBe(1);
        (await _server.ContainersLeftAsync(run.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Run_OnlyTheLimitChanged_StepComesFromTheCache()
    {
        var first = await _server.RunAsync(Read("echo fits", "64Mi"));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var second = await _server.RunAsync(Read("echo fits", "128Mi", first.Workflow));

        first.Steps!.Single().State.ShouldBe(StepState.Succeeded, first.Error);
        second.Steps!.Single().State.ShouldBe(StepState.Cached);
        second.Steps!.Single().Outputs!.Stdout.ShouldBe("fits");
        (await _server.ContainersCreatedAsync(second.Id, since)).ShouldBe(0);
    }

    /// <summary>A one-step workflow read from YAML, so the limit takes the path a user's file takes.</summary>
    private static WorkflowSpec Read(string script, string memory, string? name = null)
    {
        var set = SpecReader.Read($$"""
            apiVersion: berth/v1
            kind: Workflow
            metadata: { name: {{name ?? $"wf{Guid.NewGuid():N}"[..12]}} }
            spec:
              steps:
                - id: hog
                  container:
                    image: {{TestImages.Busybox}}
                    command: [/bin/busybox, sh, -c, "{{script}}"]
                    resources: { memory: {{memory}} }
            """);
        set.Errors.ShouldBeEmpty();
        return set.Workflows.ShouldHaveSingleItem();
    }
}
