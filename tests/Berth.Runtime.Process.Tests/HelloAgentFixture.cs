using System.Diagnostics;
using System.Runtime.CompilerServices;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>Builds examples/quickstart/hello-agent once per test run, into its own artifacts folder.</summary>
public sealed class HelloAgentFixture : IAsyncLifetime
{
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "berth-process-tests-hello-agent");

    public string AgentDll => Path.Combine(_artifacts, "out", "hello-agent.dll");

    public string DotnetPath { get; } = FindDotnet();

    public async Task InitializeAsync()
    {
        var project = Path.Combine(FindRepositoryRoot(), "examples", "quickstart", "hello-agent", "HelloAgent.csproj");
        var startInfo = new ProcessStartInfo(DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["build", project, "-c", "Debug", "--artifacts-path", _artifacts, "-o", Path.Combine(_artifacts, "out"), "-nologo", "-v:q"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var build = System.Diagnostics.Process.Start(startInfo)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync(TestTimeouts.Token(TimeSpan.FromMinutes(5)));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the hello-agent failed:\n{await output}\n{await errors}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Walks up to Berth.slnx from the test binaries, or (with --artifacts-path outside the repo) from this source file.</summary>
    private static string FindRepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in (string[])[AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? ""])
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException($"no Berth.slnx above {AppContext.BaseDirectory} or {sourceFile}");
    }

    private static string FindDotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "dotnet"))
            .FirstOrDefault(File.Exists);
        return onPath ?? "/usr/share/dotnet/dotnet";
    }
}
