using System.Diagnostics;
using Spectre.Console;

namespace Berth.Cli.Commands.Build;

/// <summary>
/// Patina's fallback: a project with a Dagger pipeline (<c>pipelines/</c>, a Dagger module) builds with it when the
/// <c>dagger</c> CLI is on PATH: <c>dagger call -m ./pipelines build --source .</c> (and <c>--tag TAG</c> with <c>-t</c>), run in
/// the project folder with its output streamed as it comes.
/// </summary>
internal static class DaggerPipeline
{
    /// <summary>The pipeline folder a project keeps its Dagger module in.</summary>
    public const string Folder = "pipelines";

    /// <summary>The first executable <c>dagger</c> in the directories of <paramref name="path"/> (a PATH value), or null.</summary>
    public static string? Find(string? path)
    {
        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "dagger");
            if (Path.IsPathFullyQualified(candidate) && File.Exists(candidate) &&
                (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The arguments <c>berth build</c> passes to dagger.</summary>
    public static IReadOnlyList<string> Arguments(string? tag) =>
        tag is null ? ["call", "-m", $"./{Folder}", "build", "--source", "."] : ["call", "-m", $"./{Folder}", "build", "--source", ".", "--tag", tag];

    /// <summary>Runs dagger in <paramref name="directory"/>, writing each line it prints to <paramref name="console"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(string dagger, string directory, string? tag, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(dagger)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(tag))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CliException($"could not start {dagger}", ExitCodes.Failure);
        process.StandardInput.Close();
        var gate = new Lock();
        void Relay(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    console.Profile.Out.Writer.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Relay(e.Data);
        process.ErrorDataReceived += (_, e) => Relay(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
