using System.Text;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Steps;
using Berth.Testing;

namespace Berth.Runtime.Docker.Tests.Steps;

[RequiresDocker]
public sealed class StepOutputDirectoryTests(DockerFixture docker) : StepRunnerTestBase(docker)
{
    [Fact]
    public async Task RunStep_DeclaredOutputDirectoryNotMadeByTheCommand_StepWritesIntoIt()
    {
        var result = await RunAsync(Launch("echo hi > /out/x.txt"), ["/out"]);

        result.ExitCode.ShouldBe(0, result.LogTail);
        result.Files.Keys.ShouldBe(["/out/x.txt"]);
        Encoding.UTF8.GetString(result.Files["/out/x.txt"]).ShouldBe("hi\n");
    }

    [Fact]
    public async Task RunStep_DeclaredOutputDirectoryLeftEmpty_SucceedsWithNoFiles()
    {
        var result = await RunAsync(Launch("true"), ["/out"]);

        result.ExitCode.ShouldBe(0, result.LogTail);
        result.Files.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunStep_DeclaredOutputFileInAMissingDirectory_ParentIsCreatedAndTheFileReturned()
    {
        var result = await RunAsync(Launch("echo a > /results/deep/a.txt"), ["/results/deep/a.txt"]);

        result.ExitCode.ShouldBe(0, result.LogTail);
        Encoding.UTF8.GetString(result.Files["/results/deep/a.txt"]).ShouldBe("a\n");
    }

    [Fact]
    public async Task RunStep_OutputDirectoryTheImageHas_KeepsItsMode()
    {
        // the image's /tmp is 1777: declaring it an output must not change it
        var result = await RunAsync(Launch("stat -c %a /tmp"), ["/tmp"]);

        result.ExitCode.ShouldBe(0, result.LogTail);
        result.Stdout.Trim().ShouldBe("1777");
    }

    [Fact]
    public async Task RunStep_CreatedOutputDirectory_IsWritableByAnyUser()
    {
        // a throwaway scratch directory: an image running as another user must still be able to write its outputs
        var result = await RunAsync(Launch("stat -c %a /out"), ["/out"]);

        result.ExitCode.ShouldBe(0, result.LogTail);
        result.Stdout.Trim().ShouldBe("777");
    }

    [Fact]
    public void For_FilesAndDirectories_CreatesDirectoriesAndParentsOfFilesOnce()
    {
        StepOutputDirectories.For(["/out", "/out/a.txt", "/dist/", "/b/c.tar.gz", "/top.txt"]).ShouldBe(["/b", "/dist", "/out"]);
    }

    [Fact]
    public async Task StartAsync_OutputWithDotDot_ThrowsConfigAndLeavesNoContainer()
    {
        var token = TestTimeouts.Token();

        var ex = await Should.ThrowAsync<StepRunException>(() => Runner.StartAsync(Launch("true") with { Outputs = ["/out/../etc"] }, token));

        ex.Class.ShouldBe(ErrorClass.Config);
        (await Runner.ListAsync(Owner, null, null, token)).ShouldBeEmpty();
    }
}
