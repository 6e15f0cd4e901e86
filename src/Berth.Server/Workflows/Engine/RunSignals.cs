namespace Berth.Server.Workflows.Engine;

/// <summary>Why a run's steps are being stopped: a user cancelled it, its total timeout passed, or this server let go of it.</summary>
internal sealed class RunSignals : IDisposable
{
    private readonly CancellationTokenSource _any;
    private readonly CancellationToken _cancelled;
    private readonly CancellationToken _timedOut;

    public RunSignals(TimeSpan? timeout, CancellationToken cancelled, CancellationToken timedOut, CancellationToken stopping)
    {
        _any = CancellationTokenSource.CreateLinkedTokenSource(cancelled, timedOut, stopping);
        _cancelled = cancelled;
        _timedOut = timedOut;
        Stopping = stopping;
        Timeout = timeout;
    }

    /// <summary>Cancelled for any of the three reasons: what steps run under.</summary>
    public CancellationToken Token => _any.Token;

    /// <summary>Cancelled when the server stops or lost the run's lease: nothing more may be stored.</summary>
    public CancellationToken Stopping { get; }

    public bool IsStopping => Stopping.IsCancellationRequested;

    public bool IsCancelled => _cancelled.IsCancellationRequested && !IsStopping;

    public bool IsTimedOut => _timedOut.IsCancellationRequested && !IsCancelled && !IsStopping;

    /// <summary>The workflow's total timeout, for messages.</summary>
    public TimeSpan? Timeout { get; }

    public void Dispose() => _any.Dispose();
}
