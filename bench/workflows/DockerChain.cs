using System.Diagnostics;

namespace Berth.Bench.Workflows;

/// <summary>
/// The baseline: the chain's commands as <c>docker run --rm</c> one after another, each given the previous one's stdout as
/// <c>PREV</c>. Each container carries the label <see cref="Label"/> (the chain's key) so its engine events can be found.
/// </summary>
internal sealed class DockerChain(string docker, string image)
{
    public const string Label = "berth-bench.chain";

    /// <summary>Runs the chain; returns its timing and the last command's stdout (trailing whitespace trimmed, as Berth keeps it).</summary>
    public async Task<(DockerChainRun Run, string LastStdout)> RunAsync(int steps, string key, CancellationToken cancellationToken)
    {
        var previous = "";
        var wallStart = TimeProvider.System.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        for (var k = 1; k <= steps; k++)
        {
            List<string> args = ["run", "--rm", "--label", $"{Label}={key}"];
            if (k > 1)
            {
                args.AddRange(["-e", $"PREV={previous}"]);
            }

            args.AddRange(["--entrypoint", "/bin/busybox", image, "sh", "-c", BenchSpecs.ChainScript(k)]);
            previous = (await RunAsync(args, cancellationToken)).TrimEnd();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return (new DockerChainRun(key, elapsed, wallStart, TimeProvider.System.GetUtcNow()), previous);
    }

    private async Task<string> RunAsync(List<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(docker)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new BenchException($"could not start '{docker}'");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new BenchException($"'{docker} {string.Join(' ', args)}' exited with {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
    }
}
