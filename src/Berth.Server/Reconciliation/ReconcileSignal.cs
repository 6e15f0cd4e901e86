namespace Berth.Server.Reconciliation;

/// <summary>Wakes the reconciler before its next scheduled pass, for example right after an apply.</summary>
internal sealed class ReconcileSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks for a pass as soon as possible. Many pokes before the pass collapse into one.</summary>
    public void Poke()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already pending.
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a poke or the timeout, whichever comes first (wall-clock: this paces the background loop only).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
