using Berth.Core.Processes;
using Berth.Server.Host;
using Spectre.Console;

using var signals = new ShutdownSignals();
var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
if (Console.IsErrorRedirected)
{
    // Piped into a log file or another process: plain text, no colours.
    console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
    console.Profile.Width = 250; // lines long enough that a log keeps each on one line
}

return StoreTool.Handles(args)
    ? await StoreTool.RunAsync(args, console, signals.Token)
    : await ServerHost.RunAsync(args, console, Environment.GetEnvironmentVariable, signals.Token);
