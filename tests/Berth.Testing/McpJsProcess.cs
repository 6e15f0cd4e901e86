using System.Diagnostics;
using System.Text;

namespace Berth.Testing;

/// <summary>One run of a <c>tests/mcp-js</c> script under <see cref="McpJs.Node"/>: what it printed and how it ended.</summary>
public sealed record McpJsProcess(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// Runs <c>node ARGS</c> in <see cref="McpJs.Directory"/> with <paramref name="environment"/> added to this process's, and
    /// waits for it to end; the process tree is killed when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    public static Task<McpJsProcess> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken) =>
        RunAsync(McpJs.Node, McpJs.Directory, args, environment, cancellationToken);

    /// <summary>Runs <c><paramref name="node"/> ARGS</c> in <paramref name="workingDirectory"/> (another npm folder, such as <see cref="A2aJs"/>'s), like the overload above.</summary>
    public static async Task<McpJsProcess> RunAsync(
        string node, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {node}");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', start.ArgumentList)} did not end in time; stderr so far:\n{Read(stderr)}");
        }

        // WaitForExitAsync returns once the redirected streams reached their end, so both texts are whole.
        return new McpJsProcess(process.ExitCode, Read(stdout), Read(stderr));
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
