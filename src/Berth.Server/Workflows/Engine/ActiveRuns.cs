using System.Collections.Concurrent;

namespace Berth.Server.Workflows.Engine;

/// <summary>The runs this server is executing now, each with the handles that cancel it (by a user) or stop it (server stopping, lease lost).</summary>
internal sealed class ActiveRuns
{
    private readonly ConcurrentDictionary<string, ActiveRun> _runs = new(StringComparer.Ordinal);

    /// <summary>Held while runs are claimed and registered, and while a run that is not active here is cancelled in the store, so the two never cross.</summary>
    public SemaphoreSlim ClaimGate { get; } = new(1, 1);

    public int Count => _runs.Count;

    /// <summary>Runs that count against the limit of active runs: all but those only waiting for child runs.</summary>
    public int Working => _runs.Values.Count(r => !r.IsWaitingOnChildren);

    public IReadOnlyCollection<string> Ids => _runs.Keys.ToList();

    public bool TryAdd(string runId, ActiveRun run) => _runs.TryAdd(runId, run);

    public void Remove(string runId) => _runs.TryRemove(runId, out _);

    public bool TryGet(string runId, out ActiveRun run) => _runs.TryGetValue(runId, out run!);

    public IEnumerable<ActiveRun> All => _runs.Values;
}
