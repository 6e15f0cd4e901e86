using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Core.Storage;

/// <summary>Workflow runs, their steps and their event streams. Every engine transition is saved here before it is acted on.</summary>
public interface IRunStore
{
    /// <summary>Stores a new run with its steps (all <see cref="StepState.Pending"/>) and its first event, in one transaction.</summary>
    Task CreateAsync(WorkflowRun run, IReadOnlyList<StepRun> steps, RunEvent created, CancellationToken cancellationToken);

    /// <summary>The run, or null.</summary>
    Task<WorkflowRun?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs, newest first: of one workflow when <paramref name="workflowName"/> is set, in one state when <paramref name="state"/> is set.</summary>
    Task<IReadOnlyList<WorkflowRun>> ListAsync(string? workflowName, RunState? state, int limit, CancellationToken cancellationToken);

    /// <summary>The run's steps in the spec's order.</summary>
    Task<IReadOnlyList<StepRun>> GetStepsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>How many steps of each run in <paramref name="runIds"/> are in each state (one query, no outputs read: for lists).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<StepState, int>>> CountStepsAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken);

    /// <summary>
    /// Saves, in one transaction, the run (when given), the steps given and the events given (each gets the run's next
    /// sequence number). Returns the events as stored.
    /// </summary>
    Task<IReadOnlyList<RunEvent>> SaveAsync(WorkflowRun? run, IReadOnlyList<StepRun> steps, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken);

    /// <summary>The run's events after <paramref name="afterSequence"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically takes up to <paramref name="limit"/> runs that are queued or running and held by no live lease (never one
    /// this or another server still holds), oldest first, leases them to <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>, and returns them.
    /// </summary>
    Task<IReadOnlyList<WorkflowRun>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>Extends the leases <paramref name="owner"/> still holds on <paramref name="runIds"/>; returns the ids it renewed (a missing one was lost).</summary>
    Task<IReadOnlyList<string>> RenewAsync(string owner, IReadOnlyList<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Gives up every lease <paramref name="owner"/> holds: a server starting again releases what its previous process held, then claims it anew.</summary>
    Task ReleaseAsync(string owner, CancellationToken cancellationToken);

    /// <summary>The unexpired cache entry under <paramref name="key"/>, or null.</summary>
    Task<CacheEntry?> FindCacheAsync(string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a cache entry.</summary>
    Task PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest entries made by <paramref name="workflowName"/>'s step <paramref name="stepId"/>, newest first (to explain a miss).</summary>
    Task<IReadOnlyList<CacheEntry>> RecentCacheAsync(string workflowName, string stepId, int limit, CancellationToken cancellationToken);
}
