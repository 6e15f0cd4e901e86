using System.Text;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Steps;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests.Steps;

[RequiresDocker]
public sealed class DockerContainerStepRunnerTests(DockerFixture docker) : StepRunnerTestBase(docker)
{
    [Fact]
    public async Task RunStep_FilesInTransformedOutputsOut_ReturnsFileAndDirectoryOutputsIntact()
    {
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0, 0xff, 0x0d, 0x0a }).ToArray();
        var image = await Runner.ResolveImageAsync(TestImages.Busybox, TestTimeouts.Token());
        var launch = Launch(
            "mkdir -p /out/dir/sub && cp /in/data.bin /out/data.bin && tr a-z A-Z < /in/deep/nested/text.txt > /out/dir/upper.txt && cp /in/data.bin /out/dir/sub/copy.bin",
            files: new Dictionary<string, byte[]>
            {
                ["/in/data.bin"] = binary,
                ["/in/deep/nested/text.txt"] = Encoding.UTF8.GetBytes("hello step\n"),
            }) with { Image = image };

        var result = await RunAsync(launch, ["/out/data.bin", "/out/dir/"]);

        result.ExitCode.ShouldBe(0);
        result.OomKilled.ShouldBeFalse();
        result.Files.Keys.Order(StringComparer.Ordinal).ShouldBe(["/out/data.bin", "/out/dir/sub/copy.bin", "/out/dir/upper.txt"]);
        result.Files["/out/data.bin"].ShouldBe(binary);
        result.Files["/out/dir/sub/copy.bin"].ShouldBe(binary);
        Encoding.UTF8.GetString(result.Files["/out/dir/upper.txt"]).ShouldBe("HELLO STEP\n");
    }

    [Fact]
    public async Task WaitAsync_StepWritesBothStreams_KeepsStdoutVerbatimAndReportsEveryLine()
    {
        var lines = new List<string>();
        var launch = Launch("echo \"$GREETING\"; echo err-1 >&2; pwd; printf 'h\\303\\251llo\\r\\nno-newline'") with
        {
            Env = new Dictionary<string, string> { ["GREETING"] = "hi there" },
            Workdir = "/tmp",
        };

        var result = await RunAsync(launch, [], lines);

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldBe("hi there\n/tmp\nhéllo\r\nno-newline");
        lines.ShouldBe(["hi there", "err-1", "/tmp", "héllo", "no-newline"], ignoreOrder: true);
        result.LogTail.Split('\n').ShouldBe(["hi there", "err-1", "/tmp", "héllo", "no-newline"], ignoreOrder: true);
    }

    [Fact]
    public async Task WaitAsync_UnterminatedLastLineWhileFollowing_KeepsIt()
    {
        // the engine's follow ends at exit before it delivers the fragment it flushes then; the runner reads it afterwards
        var lines = new List<string>();

        var result = await RunAsync(Launch("echo one; sleep 0.3; printf 'two\\nno-newline'; sleep 0.3"), [], lines);

        result.Stdout.ShouldBe("one\ntwo\nno-newline");
        lines.ShouldBe(["one", "two", "no-newline"]);
    }

    [Fact]
    public async Task WaitAsync_NonZeroExit_ReturnsTheExitCodeAndTailWithoutRequiringOutputs()
    {
        var result = await RunAsync(Launch("echo about to fail >&2; exit 3"), ["/out/never-written"]);

        result.ExitCode.ShouldBe(3);
        result.OomKilled.ShouldBeFalse();
        result.LogTail.ShouldBe("about to fail");
        result.Files.ShouldBeEmpty();
    }

    [Fact]
    public async Task WaitAsync_StepExited_RemovesTheContainer()
    {
        var token = TestTimeouts.Token();
        var id = await Runner.StartAsync(Launch("echo done"), token);

        await Runner.WaitAsync(id, [], null, token);

        (await Client.TryInspectContainerAsync(id, token)).ShouldBeNull();
    }

    [Fact]
    public async Task StartAsync_Launch_NamesAndLabelsTheContainerAndConfinesIt()
    {
        var token = TestTimeouts.Token();
        var launch = Launch("sleep 300", stepId: "resize-3") with { Attempt = 2 };

        var id = await Runner.StartAsync(launch, token);
        var container = await Client.InspectContainerAsync(id, token);

        container.Name.ShouldBe($"/berth-step-{RunId}-resize-3-2");
        container.Config.Labels!["berth.owner"].ShouldBe(Owner);
        container.Config.Labels["berth.run"].ShouldBe(RunId);
        container.Config.Labels["berth.step"].ShouldBe("resize-3");
        container.Config.Labels["berth.attempt"].ShouldBe("2");
        container.HostConfig!.CapDrop.ShouldBe(["ALL"]);
        container.HostConfig.SecurityOpt!.ShouldContain("no-new-privileges");
        container.HostConfig.Privileged.ShouldBeFalse();

        // steps move files through the archive API only: nothing of the host is ever mounted into them
        (container.HostConfig.Binds ?? []).ShouldBeEmpty();
        (container.HostConfig.Mounts ?? []).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunStep_OrdinaryShellWorkAsRoot_WorksWithoutPrivilegeGain()
    {
        var result = await RunAsync(
            Launch("touch /tmp/f && busybox chown 1:1 /tmp/f && echo owner-$(stat -c %u /tmp/f) && grep -E '^(CapEff|NoNewPrivs)' /proc/self/status"),
            []);

        result.ExitCode.ShouldBe(0, result.LogTail);
        result.Stdout.ShouldContain("owner-1");
        // CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID: bits 0,1,3,4,5,6,7
        result.Stdout.ShouldMatch(@"CapEff:\s+00000000000000fb");
        result.Stdout.ShouldMatch(@"NoNewPrivs:\s+1");
    }

    [Fact]
    public async Task ResolveImageAsync_LocalImage_ReturnsItsId()
    {
        var token = TestTimeouts.Token();

        var id = await Runner.ResolveImageAsync(TestImages.Busybox, token);

        id.ShouldStartWith("sha256:");
        id.ShouldBe((await Client.InspectImageAsync(TestImages.Busybox, token)).Id);
    }

    [Fact]
    public async Task ResolveImageAsync_MissingImage_ThrowsConfigNamingTheImage()
    {
        var image = $"berth-test/missing-{Guid.NewGuid():N}:1";

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.ResolveImageAsync(image, TestTimeouts.Token()));

        ex.Class.ShouldBe(ErrorClass.Config);
        ex.Message.ShouldContain($"image '{image}' is not on this engine");
    }

    [Fact]
    public async Task StartAsync_MissingImage_ThrowsConfigAndLeavesNoContainer()
    {
        var token = TestTimeouts.Token();
        var launch = Launch("true") with { Image = $"berth-test/missing-{Guid.NewGuid():N}:1" };

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.StartAsync(launch, token));

        ex.Class.ShouldBe(ErrorClass.Config);
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task StartAsync_MissingExecutable_ThrowsConfigAndRemovesTheCreatedContainer()
    {
        var token = TestTimeouts.Token();
        var launch = Launch("") with { Command = ["/no/such/program"], Args = [] };

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.StartAsync(launch, token));

        ex.Class.ShouldBe(ErrorClass.Config);
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task StartAsync_LeftoverContainerOfTheSameAttempt_ReplacesIt()
    {
        var token = TestTimeouts.Token();
        var first = await Runner.StartAsync(Launch("sleep 300"), token);

        var second = await Runner.StartAsync(Launch("sleep 300"), token);

        second.ShouldNotBe(first);
        (await Client.TryInspectContainerAsync(first, token)).ShouldBeNull();
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBe([second]);
    }

    [Fact]
    public async Task ListAsync_StepsOfTwoOwners_FindsOnlyTheOwnersByRunAndStepAndRemoveAsyncIsIdempotent()
    {
        var token = TestTimeouts.Token();
        var launch = Launch("sleep 300");
        var id = await Runner.StartAsync(launch, token);

        var mine = await Runner.ListAsync(Owner, null, null, token);
        var others = await Runner.ListAsync(Owner + "-other", null, null, token);
        var ofStep = await Runner.ListAsync(Owner, launch.RunId, launch.StepId, token);
        var ofOtherStep = await Runner.ListAsync(Owner, launch.RunId, launch.StepId + "-x", token);
        await Runner.RemoveAsync(id, token);
        await Runner.RemoveAsync(id, token);

        mine.ShouldBe([id]);
        others.ShouldBeEmpty();
        ofStep.ShouldBe([id]);
        ofOtherStep.ShouldBeEmpty();
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ResolveImageAsync_EngineUnreachable_ThrowsTransient()
    {
        using var client = new DockerEngineClient($"/tmp/no-engine-{Guid.NewGuid():N}.sock");
        var runner = new DockerContainerStepRunner(client);

        var ex = await Should.ThrowAsync<StepRunException>(() => runner.ResolveImageAsync(TestImages.Busybox, TestTimeouts.Token()));

        ex.Class.ShouldBe(ErrorClass.Transient);
        ex.Message.ShouldContain("not reachable");
    }
}
