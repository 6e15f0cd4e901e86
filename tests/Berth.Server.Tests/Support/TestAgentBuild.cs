using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Testing;

namespace Berth.Server.Tests.Support;

/// <summary>
/// Builds a test agent under <c>tests/agents</c> once per test run, into its own artifacts folder, and gives the command that
/// runs it (<c>dotnet {dll}</c>) as a process agent.
/// </summary>
internal static class TestAgentBuild
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Builds = new(StringComparer.Ordinal);

    /// <summary>The dotnet host that runs the agents.</summary>
    public static string Dotnet => Repository.Dotnet;

    /// <summary>Builds <c>tests/agents/{folder}/{project}</c> (once) and returns the path of <paramref name="assembly"/>.dll.</summary>
    public static Task<string> DllAsync(string folder, string project, string assembly) =>
        Builds.GetOrAdd(folder, _ => new Lazy<Task<string>>(() => BuildAsync(folder, project, assembly))).Value;

    private static async Task<string> BuildAsync(string folder, string project, string assembly)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), $"berth-server-tests-{folder}");
        var output = Path.Combine(artifacts, "out");
        var startInfo = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["build", Path.Combine(Repository.Root, "tests", "agents", folder, project), "-c", "Debug",
                     "--artifacts-path", artifacts, "-o", output, "-nologo", "-v:q"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var build = Process.Start(startInfo)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync(TestTimeouts.Token(TimeSpan.FromMinutes(5)));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the test agent {folder} failed:\n{await stdout}\n{await stderr}");
        }

        // Process agents run under uids of their own: the build output must be readable by them.
        foreach (var path in Directory.EnumerateFileSystemEntries(artifacts, "*", SearchOption.AllDirectories).Append(artifacts))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.GroupRead |
                (Directory.Exists(path) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
        }

        return Path.Combine(output, assembly + ".dll");
    }
}
