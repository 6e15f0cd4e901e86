using System.Text;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Steps;
using Berth.Testing;

namespace Berth.Runtime.Docker.Tests.Steps;

[RequiresDocker]
public sealed class StepRunnerLifecycleTests(DockerFixture docker) : StepRunnerTestBase(docker)
{
    [Fact]
    public async Task WaitAsync_OutputNotCreated_ThrowsUserNamingThePathAndRemovesTheContainer()
    {
        var token = TestTimeouts.Token();
        var id = await Runner.StartAsync(Launch("echo x > /out/other.txt") with { Outputs = ["/out/other.txt", "/out/x.txt"] }, token);

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.WaitAsync(id, ["/out/other.txt", "/out/x.txt"], null, token));

        ex.Class.ShouldBe(ErrorClass.User);
        ex.Message.ShouldContain("output /out/x.txt was not created by the step");
        (await Client.TryInspectContainerAsync(id, token)).ShouldBeNull();
    }

    [Fact]
    public async Task WaitAsync_Cancelled_KillsAndRemovesTheContainerAndThrowsCancellation()
    {
        var token = TestTimeouts.Token();
        var id = await Runner.StartAsync(Launch("echo started; sleep 300"), token);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);

        await Should.ThrowAsync<OperationCanceledException>(() => Runner.WaitAsync(
            id,
            [],
            async (line, _) =>
            {
                await Task.Yield();
                await cancel.CancelAsync();
            },
            cancel.Token).WaitAsync(TestTimeouts.Slow));

        (await Client.TryInspectContainerAsync(id, token)).ShouldBeNull();
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WaitAsync_NewRunnerOnAContainerStartedEarlier_ReattachesAndGetsTheResult()
    {
        var token = TestTimeouts.Token();
        var id = await Runner.StartAsync(Launch("echo before; sleep 1; echo after; mkdir -p /out && echo result > /out/r.txt; exit 4"), token);
        using var otherProcess = new DockerEngineClient();
        var restarted = new DockerContainerStepRunner(otherProcess);
        var lines = new List<string>();

        var result = await restarted.WaitAsync(id, ["/out/r.txt"], (line, _) => { lines.Add(line); return Task.CompletedTask; }, token);

        result.ExitCode.ShouldBe(4);
        result.Stdout.ShouldBe("before\nafter\n");
        lines.ShouldBe(["before", "after"]);
        Encoding.UTF8.GetString(result.Files["/out/r.txt"]).ShouldBe("result\n");
        (await Client.TryInspectContainerAsync(id, token)).ShouldBeNull();
    }

    [Fact]
    public async Task WaitAsync_ContainerRemovedMeanwhile_ThrowsTransient()
    {
        var token = TestTimeouts.Token();
        var id = await Runner.StartAsync(Launch("sleep 300"), token);
        await Client.RemoveContainerAsync(id, force: true, removeVolumes: true, token);

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.WaitAsync(id, [], null, token));

        ex.Class.ShouldBe(ErrorClass.Transient);
        ex.Message.ShouldContain("no longer exists");
    }

    [Fact]
    public async Task WaitAsync_HostileOutputTree_ReturnsOnlyRegularFilesBelowTheOutput()
    {
        var script = "mkdir -p /out/d/e && echo ok > /out/d/ok.txt && ln /out/d/ok.txt /out/d/hard.txt " +
                     "&& ln -s /etc/passwd /out/d/passwd && ln -s ../../etc /out/d/e/up && ln -s / /out/d/root && busybox mkfifo /out/d/fifo";

        var result = await RunAsync(Launch(script), ["/out/d"]);

        result.ExitCode.ShouldBe(0);
        result.Files.Keys.Order(StringComparer.Ordinal).ShouldBe(["/out/d/hard.txt", "/out/d/ok.txt"]);
        result.Files.Values.ShouldAllBe(content => Encoding.UTF8.GetString(content) == "ok\n");
    }

    [Fact]
    public async Task WaitAsync_OutputIsASymbolicLink_ThrowsUser()
    {
        var ex = await Should.ThrowAsync<StepRunException>(() => RunAsync(Launch("ln -s /etc/passwd /out/r.txt"), ["/out/r.txt"]));

        ex.Class.ShouldBe(ErrorClass.User);
        ex.Message.ShouldContain("output /out/r.txt is a symbolic link");
    }

    [Fact]
    public async Task WaitAsync_OutputsOverTheLimit_ThrowsUserNamingTheLimit()
    {
        var token = TestTimeouts.Token();
        var runner = new DockerContainerStepRunner(Client, outputLimit: 1000, logger: null);
        var id = await runner.StartAsync(Launch("mkdir -p /out && head -c 600 /dev/zero > /out/a && head -c 600 /dev/zero > /out/b"), token);

        var ex = await Should.ThrowAsync<StepRunException>(() => runner.WaitAsync(id, ["/out"], null, token));

        ex.Class.ShouldBe(ErrorClass.User);
        ex.Message.ShouldContain("limit of 1000 bytes");
        (await Client.TryInspectContainerAsync(id, token)).ShouldBeNull();
    }

    [Theory]
    [InlineData("out/x")]
    [InlineData("/out/../etc/passwd")]
    [InlineData("/")]
    public async Task WaitAsync_OutputPathNotAbsoluteOrEscaping_ThrowsConfigBeforeTouchingTheContainer(string output)
    {
        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.WaitAsync("no-such-container", [output], null, TestTimeouts.Token()));

        ex.Class.ShouldBe(ErrorClass.Config);
        ex.Message.ShouldContain($"output '{output}'");
    }

    [Theory]
    [InlineData("in/x")]
    [InlineData("/in/../../etc/passwd")]
    public async Task StartAsync_FilePathNotAbsoluteOrEscaping_ThrowsConfigAndCreatesNothing(string path)
    {
        var token = TestTimeouts.Token();
        var launch = Launch("true", files: new Dictionary<string, byte[]> { [path] = [1] });

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.StartAsync(launch, token));

        ex.Class.ShouldBe(ErrorClass.Config);
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBeEmpty();
    }
}
