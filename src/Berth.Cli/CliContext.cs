using Berth.Cli.Server;
using Spectre.Console;

namespace Berth.Cli;

/// <summary>Everything a command line run touches outside itself, so tests can run <c>berth</c> in-process and capture what it prints.</summary>
public sealed class CliContext
{
    private const int RedirectedWidth = 250;

    /// <summary>Human output: notes, progress, prompts, warnings and errors (standard error for the real process).</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Data output rendered by Spectre: tables and descriptions (standard output for the real process).</summary>
    public required IAnsiConsole OutConsole { get; init; }

    /// <summary>Plain data output: JSON, YAML and log lines (standard output for the real process).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard input, read by <c>-f -</c>.</summary>
    public required TextReader In { get; init; }

    /// <summary>Looks up an environment variable; null when unset.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>Directory that relative paths resolve against.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>Standard input as bytes, for <c>berth exec</c>; null reads <see cref="In"/> as UTF-8 text.</summary>
    public Stream? StandardInput { get; init; }

    /// <summary>Standard output as bytes, for <c>berth exec</c>; null writes <see cref="Out"/> (output decoded as UTF-8).</summary>
    public Stream? StandardOutput { get; init; }

    /// <summary>Standard error as bytes, for <c>berth exec</c>; null writes to <see cref="Console"/> (decoded as UTF-8).</summary>
    public Stream? StandardError { get; init; }

    /// <summary>Whether standard input and output are both a terminal, so <c>berth exec</c> gives the command a TTY. Default false.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether a person can answer prompts (a terminal on stdin and stderr).</summary>
    public required bool IsInteractive { get; init; }

    /// <summary>The clock used for ages and waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Directory <c>berth</c> is installed in, where <c>berth server</c> finds <c>berth-server</c> (default the app's base directory).</summary>
    public string InstallDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>How <c>berth server</c> runs the server (default a child process; the real process replaces itself).</summary>
    public ServerLaunch ServerLaunch { get; init; } = ServerLaunch.ChildProcess;

    /// <summary>The context of the real process: its consoles, environment and working directory.</summary>
    public static CliContext FromProcess() => new()
    {
        Console = CreateConsole(System.Console.Error, System.Console.IsErrorRedirected),
        OutConsole = CreateConsole(System.Console.Out, System.Console.IsOutputRedirected),
        Out = System.Console.Out,
        In = System.Console.In,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        CurrentDirectory = Environment.CurrentDirectory,
        IsInteractive = !System.Console.IsInputRedirected && !System.Console.IsErrorRedirected,
        // fd 0 itself: on a terminal, Console.OpenStandardInput reads through .NET's line editor, which echoes what is typed
        StandardInput = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0),
        StandardOutput = System.Console.OpenStandardOutput(),
        StandardError = System.Console.OpenStandardError(),
        IsTerminal = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
        ServerLaunch = ServerLaunch.ReplaceProcess,
    };

    private static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
    {
        if (!redirected)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        }

        // Piped or redirected: plain text, no colours, and lines long enough not to wrap table rows.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }
}
