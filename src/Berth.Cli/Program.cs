using System.Runtime.InteropServices;
using Berth.Cli;

using var cancellation = new CancellationTokenSource();

// The first Ctrl+C or SIGTERM cancels the running command gracefully; a second one terminates at once.
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
return await CliApp.RunAsync(args, CliContext.FromProcess(), cancellation.Token);
