using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Follows one run's stored events until it finishes, woken by <see cref="RunEventHub"/> when this server saves a change and
/// reading again now and then for a run another server executes (whose saves this hub does not see). Stopping the follower
/// never stops the run.
/// </summary>
internal sealed class RunFollower(IRunStore runs, RunEventHub hub, TimeProvider time)
{
    private const int Page = 500;
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Hands every event after <paramref name="after"/> to <paramref name="onEvent"/> in order, and returns the run once it has
    /// finished and its last event was handed over; null when there is no such run.
    /// </summary>
    public async Task<WorkflowRun?> FollowAsync(string runId, long after, Func<RunEvent, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var last = after;
        while (true)
        {
            var changed = hub.Changed(runId);
            var run = await runs.GetAsync(runId, cancellationToken);
            if (run is null)
            {
                return null;
            }

            // The run is read before its events: a run seen finished has stored all of its events by then.
            IReadOnlyList<RunEvent> events;
            do
            {
                events = await runs.GetEventsAsync(runId, last, Page, cancellationToken);
                foreach (var item in events)
                {
                    await onEvent(item);
                    last = item.Sequence;
                }
            }
            while (events.Count == Page);

            if (IsFinished(run.State))
            {
                hub.Forget(runId);
                return run;
            }

            try
            {
                await changed.WaitAsync(Recheck, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Read again: the run may execute on another server.
            }
        }
    }

    public static bool IsFinished(RunState state) => state is RunState.Succeeded or RunState.Failed or RunState.Cancelled;
}
