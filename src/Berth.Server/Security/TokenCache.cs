using System.Collections.Concurrent;
using Berth.Core.Security;
using Berth.Core.Storage;

namespace Berth.Server.Security;

/// <summary>
/// Token records by hash, kept a few seconds so the proxy's hot path does not query SQLite on every request.
/// Revocation through this server evicts at once; only a revocation made by another process (by hand in the
/// database) can take up to <see cref="Lifetime"/> to be seen. Unknown hashes are never cached, so random
/// guesses cannot fill the memory. Requests that miss together share one lookup, so the store is read at most once per
/// token per <see cref="Lifetime"/>, however many connections use it.
/// </summary>
internal sealed class TokenCache(ITokenStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Keyed by generation too: a request that arrives after an eviction never joins a lookup that started before it.
    private readonly SingleFlight<(long Generation, string Hash), TokenRecord?> _lookups = new();

    // Bumped by every eviction: a lookup that raced with a revocation does not put its stale record back.
    private long _generation;

    public ValueTask<TokenRecord?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(hash, out var cached) && time.GetUtcNow() - cached.CachedAt < Lifetime)
        {
            return ValueTask.FromResult<TokenRecord?>(cached.Token);
        }

        return new ValueTask<TokenRecord?>(_lookups.RunAsync((Interlocked.Read(ref _generation), hash), LoadAsync, cancellationToken));
    }

    private async Task<TokenRecord?> LoadAsync((long Generation, string Hash) key)
    {
        // No caller's cancellation: the lookup is shared by every request that missed, and it is one indexed read.
        var (generation, hash) = key;
        var token = await store.FindByHashAsync(hash, CancellationToken.None);
        var now = time.GetUtcNow();
        if (token is null)
        {
            _entries.TryRemove(hash, out _);
            return null;
        }

        if (token.IsUsableAt(now))
        {
            // At most one write per token per Lifetime: last use is a hint for people, not an audit record.
            await store.TouchAsync(token.Id, now, CancellationToken.None);
            token = token with { LastUsedAt = now };
        }

        if (Interlocked.Read(ref _generation) == generation)
        {
            Prune(now);
            _entries[hash] = new Entry(token, now);
        }

        return token;
    }

    /// <summary>Forgets the token with <paramref name="id"/>, so the next request reads it from the store again.</summary>
    public void Evict(string id)
    {
        Interlocked.Increment(ref _generation);
        foreach (var entry in _entries)
        {
            if (entry.Value.Token.Id == id)
            {
                _entries.TryRemove(entry);
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (_entries.Count < MaxEntries)
        {
            return;
        }

        foreach (var entry in _entries)
        {
            if (now - entry.Value.CachedAt >= Lifetime)
            {
                _entries.TryRemove(entry);
            }
        }
    }

    private sealed record Entry(TokenRecord Token, DateTimeOffset CachedAt);
}
