using System.Collections.Concurrent;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Tells waiters that a run's stored state or events changed. A waiter takes <see cref="Changed"/> before it reads the store,
/// so a change saved between the read and the wait is never missed.
/// </summary>
internal sealed class RunEventHub
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    /// <summary>Completes at the next change of <paramref name="runId"/>.</summary>
    public Task Changed(string runId) =>
        _signals.GetOrAdd(runId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Drops the signal of a run that has finished (nothing publishes to it again), so watching finished runs leaves nothing behind.</summary>
    public void Forget(string runId) => _signals.TryRemove(runId, out _);

    /// <summary>
    /// Raised with the run's id after each save, for watchers of many runs at once (MCP resource subscriptions) that must not
    /// hold a signal per run. Listeners run on the engine's thread: they must only take note and return.
    /// </summary>
    public event Action<string>? Published;

    /// <summary>Wakes everyone waiting on <paramref name="runId"/>; called after each save.</summary>
    public void Publish(string runId)
    {
        if (_signals.TryRemove(runId, out var signal))
        {
            signal.TrySetResult();
        }

        Published?.Invoke(runId);
    }
}
