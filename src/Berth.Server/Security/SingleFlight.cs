using System.Collections.Concurrent;

namespace Berth.Server.Security;

/// <summary>
/// Runs one load per key at a time: callers that miss a cache together share the load already running instead of each
/// querying the store (without it, every connection of a busy client reads the same token when its entry expires). The
/// load runs without any one caller's cancellation, so a caller that leaves does not fail the others; each caller stops
/// waiting on its own token. Hand-written: Microsoft.Extensions.Caching.Hybrid does this, but brings a second cache and
/// serialization the caches here do not need (their entries hold live records and must be evictable by id).
/// </summary>
internal sealed class SingleFlight<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _running = new(comparer);

    /// <summary>The result of <paramref name="load"/> for <paramref name="key"/>, or of the load for it already running.</summary>
    public Task<TValue> RunAsync(TKey key, Func<TKey, Task<TValue>> load, CancellationToken cancellationToken)
    {
        var mine = new Lazy<Task<TValue>>(() => RunOnceAsync(key, load));
        var running = _running.GetOrAdd(key, mine);
        return running.Value.WaitAsync(cancellationToken);
    }

    private async Task<TValue> RunOnceAsync(TKey key, Func<TKey, Task<TValue>> load)
    {
        try
        {
            return await load(key);
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }
}
