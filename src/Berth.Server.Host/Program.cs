using System.Runtime.InteropServices;
using Berth.Server.Host;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();

// The first Ctrl+C or SIGTERM stops the server gracefully; a second one terminates at once.
void OnSignal(PosixSignalContext signal)
{
    if (!cancellation.IsCancellationRequested)
    {
        signal.Cancel = true;
        cancellation.Cancel();
    }
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
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

return await ServerHost.RunAsync(args, console, Environment.GetEnvironmentVariable, cancellation.Token);
