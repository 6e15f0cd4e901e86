namespace Berth.Server.Workflows.Engine;

/// <summary>One executing run's handles.</summary>
internal sealed class ActiveRun : IDisposable
{
    private int _childWaits;

    /// <summary>Whether a step of this run is waiting for a child run now; such a run does not count against the limit of active runs.</summary>
    public bool IsWaitingOnChildren => Volatile.Read(ref _childWaits) > 0;

    /// <summary>Cancelled when a user cancels the run: steps end as cancelled and the run is stored cancelled.</summary>
    public CancellationTokenSource Cancel { get; } = new();

    /// <summary>Cancelled when this server must let go of the run (stopping, or its lease was lost): nothing more is stored.</summary>
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Who cancelled it, for the run's error.</summary>
    public string? CancelledBy { get; set; }

    /// <summary>The execution, once started.</summary>
    public Task Execution { get; set; } = Task.CompletedTask;

    /// <summary>Marks a step as waiting for its child run until the returned handle is disposed.</summary>
    public IDisposable WaitForChild()
    {
        Interlocked.Increment(ref _childWaits);
        return new ChildWait(this);
    }

    public void Dispose()
    {
        Cancel.Dispose();
        Stop.Dispose();
    }

    private sealed class ChildWait(ActiveRun run) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Interlocked.Decrement(ref run._childWaits);
            }
        }
    }
}
