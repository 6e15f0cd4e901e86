using Berth.Testing;
using Spectre.Console;

namespace Berth.Cli.Tests.Infrastructure;

/// <summary>Runs <c>berth</c> command lines in-process and captures what they print.</summary>
internal sealed class CliHarness
{
    public string CurrentDirectory { get; init; } = Path.GetTempPath();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public bool Interactive { get; init; }

    public string Stdin { get; init; } = "";

    /// <summary>How long a command may run before the harness calls it hung; raise it for commands given a longer wait.</summary>
    public TimeSpan HangGuard { get; init; } = TestTimeouts.Slow;

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, TestTimeouts.Token());

    /// <summary>Runs a command that must succeed; a failure shows what it printed.</summary>
    public async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return result;
    }

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var human = new StringWriter();
        var data = new StringWriter();
        var exitCode = await RunAsync(args, human, data, cancellationToken);
        return new CliResult(exitCode, data.ToString(), human.ToString());
    }

    /// <summary>
    /// Runs a command that goes on until interrupted (a follow, a watch) and interrupts it, as Ctrl+C would, once what it has
    /// printed satisfies <paramref name="enough"/> (or it ended by itself).
    /// </summary>
    public async Task<CliResult> RunUntilAsync(string[] args, Func<CliResult, bool> enough, string what)
    {
        var human = new StringWriter();
        var data = new StringWriter();
        var humanWriter = TextWriter.Synchronized(human);
        var dataWriter = TextWriter.Synchronized(data);
        using var interrupt = new CancellationTokenSource();
        var running = RunAsync(args, humanWriter, dataWriter, interrupt.Token);

        // A synchronized writer locks itself for every write, so reading under that lock sees whole writes.
        CliResult SoFar(int exitCode)
        {
            lock (humanWriter)
            {
                lock (dataWriter)
                {
                    return new CliResult(exitCode, data.ToString(), human.ToString());
                }
            }
        }

        await Eventually.TrueAsync(() => running.IsCompleted || enough(SoFar(-1)), what);
        await interrupt.CancelAsync();
        return SoFar(await running);
    }

    private async Task<int> RunAsync(string[] args, TextWriter human, TextWriter data, CancellationToken cancellationToken)
    {
        var context = new CliContext
        {
            Console = CreateConsole(human),
            OutConsole = CreateConsole(data),
            Out = data,
            In = new StringReader(Stdin),
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            CurrentDirectory = CurrentDirectory,
            IsInteractive = Interactive,
        };
        // The command itself must observe the token (as it observes Ctrl+C); the timeout only guards against hangs.
        return await CliApp.RunAsync(args, context, cancellationToken).WaitAsync(HangGuard, CancellationToken.None);
    }

    /// <summary>A console that writes plain text (no colours, no prompts, wide lines) to <paramref name="writer"/>, as tests read it.</summary>
    internal static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 250;
        return console;
    }
}
