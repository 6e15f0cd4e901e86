using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Build;

/// <summary>
/// Which path <c>berth build</c> takes: Dagger when the folder has <c>pipelines/</c> and <c>dagger</c> is on PATH (a stand-in
/// here), else the server's Engine API build, which a server running the process runtime alone refuses with a clear problem.
/// </summary>
[Collection(ServerGroup.Name)]
public sealed class BuildChoiceTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _project = new();
    private readonly StandInDagger _dagger = new();

    public void Dispose()
    {
        _project.Dispose();
        _dagger.Dispose();
    }

    [Fact]
    public async Task Build_PipelineAndDaggerOnPath_RunsDaggerInTheFolderAndNotTheServer()
    {
        _project.Write("Dockerfile", "FROM scratch\n");
        _project.Write("pipelines/main.go", "package main\n");
        var harness = new CliHarness { CurrentDirectory = Path.GetTempPath() };
        harness.Environment["PATH"] = _dagger.SearchPath;
        harness.Environment["BERTH_URL"] = $"http://127.0.0.1:{UnusedPort.Get()}";

        var result = await harness.RunAsync("build", _project.Path, "-t", "local/piped:2");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Err.ShouldContain("building with Dagger: pipelines/");
        result.Err.ShouldContain(StandInDagger.Printed, Case.Sensitive, "dagger's output is streamed to the user");
        File.ReadAllLines(_dagger.Record).ShouldBe([_project.Path, "call -m ./pipelines build --source . --tag local/piped:2"]);
        result.All.ShouldNotContain("Engine API");
    }

    [Fact]
    public async Task Build_PipelineWithoutDagger_SaysSoAndAProcessOnlyServerRefusesTheEngineBuild()
    {
        _project.Write("Dockerfile", "FROM scratch\n");
        _project.Write("pipelines/main.go", "package main\n");
        var harness = new CliHarness { CurrentDirectory = _project.Path };
        harness.Environment["PATH"] = "/nonexistent-bin";
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;

        var result = await harness.RunAsync("build", ".");

        result.Err.ShouldContain("building with the Engine API (dagger not found on PATH)");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Err.ShouldContain("process runtime only");
        result.Err.ShouldContain("--runtime docker");
    }

    [Fact]
    public async Task Build_Viewer_IsForbidden()
    {
        _project.Write("Dockerfile", "FROM scratch\n");
        using var admin = new Berth.Client.BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        var viewer = await admin.CreateTokenAsync(new Berth.Client.Contracts.CreateTokenRequest { Role = "viewer" }, Berth.Testing.TestTimeouts.Token());
        var harness = new CliHarness { CurrentDirectory = _project.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = viewer.Token;

        var result = await harness.RunAsync("build", ".", "-t", "local/nope:1");

        result.ExitCode.ShouldBe(8, result.ToString());
    }

    [Theory]
    [InlineData("My Agent!", "local/myagent:latest")]
    [InlineData("--", "local/image:latest")]
    public void DefaultTag_FolderName_IsALowercaseLocalReference(string folder, string expected) =>
        Berth.Cli.Commands.Build.BuildCommand.DefaultTag(Path.Combine("/tmp", folder)).ShouldBe(expected);
}
