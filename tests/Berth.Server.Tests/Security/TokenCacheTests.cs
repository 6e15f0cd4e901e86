using Berth.Core.Security;
using Berth.Server.Security;
using Berth.Server.Tests.Fakes;
using Berth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Server.Tests.Security;

/// <summary>The bearer token cache on the proxy's hot path: how often it reads the store, whatever the number of callers.</summary>
public sealed class TokenCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TokenRecord _token = new() { Id = "t1", Role = BerthRoles.Operator, Hash = "hash-1", CreatedAt = DateTimeOffset.UnixEpoch };

    [Fact]
    public async Task FindAsync_FiftyCallersMissTogether_OneStoreReadAndOneTouch()
    {
        var store = new CountingTokenStore(_token) { Hold = true };
        var cache = new TokenCache(store, _clock);

        var finds = Enumerable.Range(0, 50).Select(_ => cache.FindAsync("hash-1", TestTimeouts.Token()).AsTask()).ToList();
        store.Release();
        var found = await Task.WhenAll(finds).WaitAsync(TestTimeouts.Token());

        found.ShouldAllBe(t => t != null && t.Id == "t1");
        store.Finds.ShouldBe(1, "requests that miss together share one lookup");
        store.Touches.ShouldBe(1);
    }

    [Fact]
    public async Task FindAsync_ManyRequestsAcrossTwoLifetimes_OneStoreReadPerLifetime()
    {
        var store = new CountingTokenStore(_token);
        var cache = new TokenCache(store, _clock);

        for (var i = 0; i < 100; i++)
        {
            (await cache.FindAsync("hash-1", TestTimeouts.Token())).ShouldNotBeNull();
            _clock.Advance(TokenCache.Lifetime / 60);
        }

        store.Finds.ShouldBe(2, "100 requests over 100/60 lifetimes read the store once per lifetime");
    }

    [Fact]
    public async Task FindAsync_OneCallerGivesUp_OthersStillGetTheToken()
    {
        var store = new CountingTokenStore(_token) { Hold = true };
        var cache = new TokenCache(store, _clock);
        using var leaving = new CancellationTokenSource();

        var first = cache.FindAsync("hash-1", leaving.Token).AsTask();
        var second = cache.FindAsync("hash-1", TestTimeouts.Token()).AsTask();
        await leaving.CancelAsync();
        store.Release();

        await Should.ThrowAsync<OperationCanceledException>(first);
        (await second.WaitAsync(TestTimeouts.Token()))!.Id.ShouldBe("t1");
        store.Finds.ShouldBe(1);
    }

    [Fact]
    public async Task FindAsync_AfterAnEviction_DoesNotJoinALookupThatStartedBeforeIt()
    {
        var store = new CountingTokenStore(_token) { Hold = true };
        var cache = new TokenCache(store, _clock);

        var before = cache.FindAsync("hash-1", TestTimeouts.Token()).AsTask();
        cache.Evict("t1");
        var after = cache.FindAsync("hash-1", TestTimeouts.Token()).AsTask();
        store.Release();
        await Task.WhenAll(before, after).WaitAsync(TestTimeouts.Token());

        store.Finds.ShouldBe(2, "a request after a revocation reads the store again, never the answer of a lookup that started before it");
    }

    [Fact]
    public async Task FindAsync_UnknownHash_NotCached_ReadEachTime()
    {
        var store = new CountingTokenStore(_token);
        var cache = new TokenCache(store, _clock);

        (await cache.FindAsync("guess-1", TestTimeouts.Token())).ShouldBeNull();
        (await cache.FindAsync("guess-1", TestTimeouts.Token())).ShouldBeNull();

        store.Finds.ShouldBe(2, "unknown hashes are never cached, so guesses cannot fill the memory");
    }
}
