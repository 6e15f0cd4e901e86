namespace Berth.Server.Workflows.Engine;

/// <summary>One executing run's handles.</summary>
internal sealed class ActiveRun : IDisposable
{
    /// <summary>Cancelled when a user cancels the run: steps end as cancelled and the run is stored cancelled.</summary>
    public CancellationTokenSource Cancel { get; } = new();

    /// <summary>Cancelled when this server must let go of the run (stopping, or its lease was lost): nothing more is stored.</summary>
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Who cancelled it, for the run's error.</summary>
    public string? CancelledBy { get; set; }

    /// <summary>The execution, once started.</summary>
    public Task Execution { get; set; } = Task.CompletedTask;

    public void Dispose()
    {
        Cancel.Dispose();
        Stop.Dispose();
    }
}
