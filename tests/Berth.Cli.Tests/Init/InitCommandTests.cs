using Berth.Cli.Commands.Init;
using Berth.Cli.Tests.Infrastructure;
using Berth.Core.Specs;

namespace Berth.Cli.Tests.Init;

/// <summary><c>berth init</c> as a command: what it writes, what it refuses. No server, no language runtime needed.</summary>
public sealed class InitCommandTests : IDisposable
{
    private const UnixFileMode OthersRead = UnixFileMode.OtherRead;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string, string, string> Projects => new()
    {
        { "agent", "python", "server.py", "test_server.py" },
        { "agent", "node", "server.mjs", "test.mjs" },
        { "agent", "dotnet", "app.cs", "test.cs" },
        { "agent", "shell", "handler.sh", "test.sh" },
        { "plugin", "python", "server.py", "test_server.py" },
        { "plugin", "node", "server.mjs", "test.mjs" },
        { "plugin", "dotnet", "app.cs", "test.cs" },
        { "plugin", "shell", "handler.sh", "test.sh" },
    };

    private CliHarness Harness() => new() { CurrentDirectory = _directory.Path };

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Init_EachKindAndLanguage_WritesAValidSpecServerDockerfileReadmeAndTest(string kind, string language, string server, string test)
    {
        var result = await Harness().RunAsync("init", kind, "demo", "--lang", language);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var folder = Path.Combine(_directory.Path, "demo");
        var spec = File.ReadAllText(Path.Combine(folder, $"{kind}.yaml"));
        var set = SpecReader.Read(spec, new SpecReadOptions { BaseDirectory = folder });
        set.Errors.ShouldBeEmpty(string.Join("\n", set.Errors.Select(e => $"{e.Path}: {e.Message}")));
        set.Resources.Count.ShouldBe(1);
        spec.ShouldContain(kind == "plugin" ? "runtime: process" : "  process:\n", customMessage: "a project runs as a process by default");
        foreach (var file in new[] { server, test, "Dockerfile", "README.md" })
        {
            var path = Path.Combine(folder, file);
            File.Exists(path).ShouldBeTrue($"{file} is missing from the {language} {kind}");
            File.GetUnixFileMode(path).HasFlag(OthersRead).ShouldBeTrue($"{file} must be readable by the agent's own user");
            File.ReadAllText(path).ShouldNotContain("{{name}}");
        }

        File.ReadAllText(Path.Combine(folder, "Dockerfile")).ShouldContain($"FROM {TemplateLanguage.Find(language).DefaultBaseImage}\n");
        File.ReadAllText(Path.Combine(folder, "README.md")).ShouldContain($"Berth {InitCommand.BerthVersion}");
        result.Out.ShouldContain(Path.Combine(folder, server));
    }

    [Fact]
    public async Task Init_NoLanguage_WritesThePythonAgent()
    {
        var result = await Harness().RunAsync("init", "agent", "plain");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        File.ReadAllText(Path.Combine(_directory.Path, "plain", "agent.yaml")).ShouldContain("command: /usr/bin/python3");
    }

    [Fact]
    public async Task Init_BaseImage_ReplacesTheDockerfilesFrom()
    {
        var result = await Harness().RunAsync("init", "plugin", "offline", "--lang", "shell", "--base-image", "local/busybox:1", "--dir", "sub");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        File.ReadAllText(Path.Combine(_directory.Path, "sub", "offline", "Dockerfile")).ShouldContain("FROM local/busybox:1\n");
    }

    [Fact]
    public async Task Init_NonEmptyFolder_RefusesWithoutForceAndOverwritesWithIt()
    {
        _directory.Write("taken/server.py", "mine");
        _directory.Write("taken/notes.txt", "keep me");

        var refused = await Harness().RunAsync("init", "agent", "taken");
        var forced = await Harness().RunAsync("init", "agent", "taken", "--force");

        refused.ExitCode.ShouldBe(ExitCodes.Failure, refused.ToString());
        refused.Err.ShouldContain("is not empty; choose another name or --dir, or pass --force");
        forced.ExitCode.ShouldBe(ExitCodes.Ok, forced.ToString());
        File.ReadAllText(Path.Combine(_directory.Path, "taken", "server.py")).ShouldContain("ThreadingHTTPServer");
        File.ReadAllText(Path.Combine(_directory.Path, "taken", "notes.txt")).ShouldBe("keep me");
    }

    [Fact]
    public async Task Init_FileWhereTheFolderWouldGo_IsRefused()
    {
        var target = _directory.Write("target/x", "x");
        File.CreateSymbolicLink(Path.Combine(_directory.Path, "linked"), Path.GetDirectoryName(target)!);

        var result = await Harness().RunAsync("init", "agent", "linked", "--force");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        result.Err.ShouldContain("exists and is not a plain folder");
        File.Exists(Path.Combine(_directory.Path, "target", "server.py")).ShouldBeFalse("nothing may be written through a link");
    }

    [Theory]
    [InlineData("Upper", "is not a valid name: use a DNS label")]
    [InlineData("../escape", "is not a valid name: use a DNS label")]
    [InlineData("-dash", "is not a valid name: use a DNS label")]
    public async Task Init_NameNotADnsLabel_IsAUsageError(string name, string message)
    {
        var result = await Harness().RunAsync("init", "agent", name);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain(message);
        Directory.EnumerateFileSystemEntries(_directory.Path).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("python:3 AS x\nRUN curl evil")]
    [InlineData("image with space")]
    public async Task Init_BaseImageNotAnImageReference_IsAUsageError(string image)
    {
        var result = await Harness().RunAsync("init", "agent", "img", "--base-image", image);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("is not an image reference");
    }

    [Fact]
    public async Task Init_UnknownLanguage_IsAUsageError()
    {
        var result = await Harness().RunAsync("init", "agent", "rusty", "--lang", "rust");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("rust");
    }
}
