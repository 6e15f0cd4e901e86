using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Cli.Tests.Workflows.EndToEnd;
using Berth.Runtime.Docker.Engine;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Cli.Tests.Build;

/// <summary><c>berth build</c> through the server's Engine API build, against a real server on the real Docker engine.</summary>
[RequiresDocker]
public sealed class EngineBuildTests(DockerServerFixture server) : IClassFixture<DockerServerFixture>, IAsyncLifetime
{
    private readonly TempDirectory _project = new();
    private readonly StandInDagger _dagger = new();
    private readonly string _tag = $"berth-test/build-{Guid.NewGuid():N}"[..32] + ":1";
    private DockerEngineClient? _docker;

    public async Task InitializeAsync() => _docker = await DockerTestEnvironment.RequireAsync();

    public async Task DisposeAsync()
    {
        await _docker!.RemoveImageAsync(_tag, force: true, TestTimeouts.Token());
        _docker.Dispose();
        _project.Dispose();
        _dagger.Dispose();
    }

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _project.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        harness.Environment["PATH"] = _dagger.SearchPath;
        return harness;
    }

    [Fact]
    public async Task Build_DockerfileAndDaggerOnPathButNoPipeline_BuildsTheImageThroughTheEngineApi()
    {
        _project.Write("Dockerfile", $"FROM {TestImages.Busybox}\nCOPY hello.txt /hello.txt\nCOPY run.sh /run.sh\nRUN [\"/bin/busybox\", \"test\", \"-x\", \"/run.sh\"]\n");
        _project.Write("hello.txt", "hello from berth build\n");
        File.SetUnixFileMode(_project.Write("run.sh", "#!/bin/sh\n"), (UnixFileMode)0b111_101_101);
        _project.Write(".dockerignore", "secret.txt\n");
        _project.Write("secret.txt", "not for the image\n");

        var result = await Harness().RunAsync("build", ".", "-t", _tag, "-o", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Err.ShouldContain("building with the Engine API (no Dagger pipeline");
        File.Exists(_dagger.Record).ShouldBeFalse("without pipelines/ dagger is not run, even when it is on PATH");
        using var answer = JsonDocument.Parse(result.Out);
        answer.RootElement.GetProperty("tag").GetString().ShouldBe(_tag);
        var image = await _docker!.InspectImageAsync(_tag, TestTimeouts.Token());
        answer.RootElement.GetProperty("id").GetString().ShouldBe(image.Id);
        answer.RootElement.GetProperty("log").EnumerateArray().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Build_FailingStep_ExitsInvalidWithTheStepsOutput()
    {
        _project.Write("Dockerfile", $"FROM {TestImages.Busybox}\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo no-such-thing-here >&2; exit 3\"]\n");

        var result = await Harness().RunAsync("build", ".", "-t", _tag);

        result.ExitCode.ShouldBe(5, result.ToString());
        result.Err.ShouldContain("no-such-thing-here");
    }

    [Fact]
    public async Task Build_NoDockerfile_IsRefusedNamingIt()
    {
        _project.Write("readme.txt", "nothing to build\n");

        var result = await Harness().RunAsync("build", ".", "-t", _tag);

        result.ExitCode.ShouldBe(5, result.ToString());
        result.Err.ShouldContain("no Dockerfile");
    }
}
