using System.Runtime.InteropServices;

namespace Berth.Core.Processes;

/// <summary>
/// A process's stop signals: the first SIGINT (Ctrl+C) or SIGTERM cancels <see cref="Token"/>, so the running command or server
/// stops gracefully; a second one is left to the runtime, which terminates the process at once.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first stop signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext signal)
    {
        if (!_cancellation.IsCancellationRequested)
        {
            signal.Cancel = true;
            _cancellation.Cancel();
        }
    }
}
