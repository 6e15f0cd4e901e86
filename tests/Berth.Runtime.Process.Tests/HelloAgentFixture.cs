using System.Diagnostics;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>Builds examples/quickstart/hello-agent once per test run, into its own artifacts folder.</summary>
public sealed class HelloAgentFixture : IAsyncLifetime
{
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "berth-process-tests-hello-agent");

    public string AgentDll => Path.Combine(_artifacts, "out", "hello-agent.dll");

    public async Task InitializeAsync()
    {
        var project = Path.Combine(Repository.Root, "examples", "quickstart", "hello-agent", "HelloAgent.csproj");
        var startInfo = new ProcessStartInfo(Repository.Dotnet)
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
}
