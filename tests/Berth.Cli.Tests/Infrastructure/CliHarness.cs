using Berth.Testing;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Berth.Cli.Tests.Infrastructure;

/// <summary>Runs <c>berth</c> command lines in-process and captures what they print.</summary>
internal sealed class CliHarness
{
    public string CurrentDirectory { get; init; } = Path.GetTempPath();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public bool Interactive { get; init; }

    public string Stdin { get; init; } = "";

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, TestTimeouts.Token());

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var human = new TestConsole().Width(250);

        // Data goes to one writer, through the console and around it, so that the order of the two is kept.
        var data = new StringWriter();
        var context = new CliContext
        {
            Console = human,
            OutConsole = CreateConsole(data),
            Out = data,
            In = new StringReader(Stdin),
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            CurrentDirectory = CurrentDirectory,
            IsInteractive = Interactive,
        };
        // The command itself must observe the token (as it observes Ctrl+C); the timeout only guards against hangs.
        var exitCode = await CliApp.RunAsync(args, context, cancellationToken).WaitAsync(TestTimeouts.Slow, CancellationToken.None);
        return new CliResult(exitCode, data.ToString(), human.Output);
    }

    private static IAnsiConsole CreateConsole(StringWriter writer)
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
