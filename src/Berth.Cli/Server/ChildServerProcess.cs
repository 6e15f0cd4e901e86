using System.Diagnostics;
using Spectre.Console;

namespace Berth.Cli.Server;

/// <summary>Runs the server as a child process for an in-process <c>berth</c>: its output goes to the console, cancellation becomes SIGTERM.</summary>
internal static class ChildServerProcess
{
    public static async Task<int> RunAsync(IReadOnlyList<string> commandLine, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CliException($"could not start {commandLine[0]}", ExitCodes.Failure);
        var writing = new Lock();
        void Copy(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is { } text)
            {
                lock (writing)
                {
                    console.WriteLine(text);
                }
            }
        }

        process.OutputDataReceived += Copy;
        process.ErrorDataReceived += Copy;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Like Ctrl+C at a terminal: the server stops gracefully and its exit code becomes ours.
        await using var forward = cancellationToken.Register(() => NativeProcess.Signal(process.Id, NativeProcess.SigTerm));
        await process.WaitForExitAsync(CancellationToken.None);
        return process.ExitCode;
    }
}
