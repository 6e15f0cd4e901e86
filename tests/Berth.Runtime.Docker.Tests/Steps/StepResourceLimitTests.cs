using Berth.Core.Specs;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests.Steps;

[RequiresDocker]
public sealed class StepResourceLimitTests(DockerFixture docker) : StepRunnerTestBase(docker)
{
    // busybox dd allocates its whole block before reading, so one 64 MiB block touches 64 MiB. The pause lets containerd
    // start watching the container's OOM events: an OOM in its first milliseconds can go unrecorded on cgroup v1.
    private const string Allocate64Mi = "sleep 1; /bin/busybox sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1'";

    private static readonly ResourceSpec EightMi = new() { MemoryBytes = 8L << 20 };

    [Fact]
    public async Task WaitAsync_StepAllocatesPastItsMemoryLimit_ReportsOomKilled()
    {
        var result = await RunAsync(Launch(Allocate64Mi) with { Resources = EightMi }, []);

        result.OomKilled.ShouldBeTrue(result.LogTail);
        result.ExitCode.ShouldBe(137);
    }

    [Fact]
    public async Task WaitAsync_SameAllocationWithoutLimit_Succeeds()
    {
        var result = await RunAsync(Launch(Allocate64Mi), []);

        result.OomKilled.ShouldBeFalse();
        result.ExitCode.ShouldBe(0, result.LogTail);
    }

    [Fact]
    public async Task StartAsync_Resources_SetsMemoryWithoutSwapAndNanoCpus()
    {
        var token = TestTimeouts.Token();

        var id = await Runner.StartAsync(Launch("sleep 300") with { Resources = new ResourceSpec { MemoryBytes = 64L << 20, Cpus = 0.5 } }, token);
        var host = (await Client.InspectContainerAsync(id, token)).HostConfig!;

        host.Memory.ShouldBe(64L << 20);
        host.MemorySwap.ShouldBe(64L << 20);
        host.NanoCpus.ShouldBe(500_000_000);
    }

    [Fact]
    public async Task StartAsync_NoResources_SetsNoLimits()
    {
        var token = TestTimeouts.Token();

        var id = await Runner.StartAsync(Launch("sleep 300"), token);
        var host = (await Client.InspectContainerAsync(id, token)).HostConfig!;

        host.Memory.ShouldBe(0);
        host.NanoCpus.ShouldBe(0);
    }
}
