namespace Berth.Server.Workflows.Engine;

/// <summary>Wakes the workflow engine before its next poll, for example right after a run was created.</summary>
internal sealed class EngineWake : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks the engine to look for runs now; many pokes before it looks collapse into one.</summary>
    public void Poke()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A look is already pending.
        }
    }

    /// <summary>Waits for a poke or the timeout (wall-clock: this paces the background loop only).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
