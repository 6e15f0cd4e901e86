using System.Diagnostics;
using Berth.Testing;

namespace Berth.Cli.Tests.Init;

/// <summary>The test each project ships with runs with the language's own tools, offline, and passes as generated.</summary>
public sealed class GeneratedTestsTests
{
    public static TheoryData<string, string> Projects => new()
    {
        { "agent", "python" }, { "agent", "node" }, { "agent", "dotnet" }, { "agent", "shell" },
        { "plugin", "python" }, { "plugin", "node" }, { "plugin", "dotnet" }, { "plugin", "shell" },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task GeneratedTest_AsWritten_Passes(string kind, string language)
    {
        using var project = await InitProject.CreateAsync(kind, language);
        (string File, string[] Args) command = language switch
        {
            "python" => ("/usr/bin/python3", ["test_server.py"]),
            "node" => ("/usr/bin/node", ["--test"]),
            "dotnet" => (Repository.Dotnet, ["run", "test.cs"]),
            _ => ("/bin/sh", ["test.sh"]),
        };
        var start = new ProcessStartInfo(command.File, command.Args) { WorkingDirectory = project.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = TestTimeouts.Token(TimeSpan.FromMinutes(5)).Register(() => process.Kill(entireProcessTree: true));

        await process.WaitForExitAsync();

        process.ExitCode.ShouldBe(0, $"`{command.File} {string.Join(' ', command.Args)}` in the {language} {kind} failed:\n{await output}\n{await errors}");
    }
}
