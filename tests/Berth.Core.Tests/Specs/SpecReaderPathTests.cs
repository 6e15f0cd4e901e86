using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SpecReaderPathTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "berth-specs", "project");

    private static SpecReadOptions WithBase() => SpecTestData.NoEnvironment with { BaseDirectory = Base };

    [Theory]
    [InlineData("./echo", "echo")]
    [InlineData("echo/", "echo/")]
    [InlineData("../shared/echo", "../shared/echo")]
    [InlineData(".", ".")]
    public void Read_RelativeBuildContext_ResolvesAgainstBaseDirectory(string context, string relative)
    {
        var agent = SpecTestData.Read(SpecTestData.Agent("echo", $"build: {{ context: {context} }}"), WithBase()).ShouldBeSingleValidAgent();

        agent.Build.ShouldNotBeNull().Context.ShouldBe(Path.GetFullPath(Path.Combine(Base, relative)));
        agent.Build.Dockerfile.ShouldBe("Dockerfile");
        agent.Build.Context.ShouldNotContain("..");
    }

    [Fact]
    public void Read_AbsoluteBuildContext_IsKept() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "build: { context: /src/echo, dockerfile: Dockerfile.dev }"), WithBase())
            .ShouldBeSingleValidAgent().Build.ShouldBe(new BuildSpec { Context = "/src/echo", Dockerfile = "Dockerfile.dev" });

    [Fact]
    public void Read_RelativeBuildContextWithoutBase_IsKeptAndReported()
    {
        var set = SpecTestData.Read(SpecTestData.Agent("echo", "build: { context: ./echo }"));

        set.ShouldHaveOneError("spec.build.context").Message.ShouldContain("'./echo' is not an absolute directory");
    }

    [Fact]
    public void Read_ProcessPaths_ResolveAgainstBaseDirectory()
    {
        var process = SpecTestData.Read(SpecTestData.Agent("hello", "process: { command: ./bin/hello, workingDir: ./bin }"), WithBase())
            .ShouldBeSingleValidAgent().Process.ShouldNotBeNull();

        process.Command.ShouldBe(Path.Combine(Base, "bin", "hello"));
        process.WorkingDir.ShouldBe(Path.Combine(Base, "bin"));
    }

    [Theory]
    [InlineData("dotnet")]
    [InlineData("/usr/bin/env")]
    public void Read_BareOrAbsoluteCommand_IsKept(string command) =>
        SpecTestData.Read(SpecTestData.Agent("hello", $"process: {{ command: {command} }}"), WithBase())
            .ShouldBeSingleValidAgent().Process!.Command.ShouldBe(command);
}
