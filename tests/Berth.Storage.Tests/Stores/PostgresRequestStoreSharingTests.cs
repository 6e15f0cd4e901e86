using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Testing;
using Npgsql;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// What servers sharing one PostgreSQL database rely on from the request store. Each server is a request store over a
/// <see cref="PostgresDatabase"/> of its own (its own connection pool), both on the same test database.
/// </summary>
[RequiresPostgres]
public sealed class PostgresRequestStoreSharingTests : IAsyncLifetime
{
    private const string Agent = "echo";

    private TestDatabase _database = null!;
    private PostgresDatabase _secondDatabase = null!;
    private SqlRequestStore _a = null!;
    private SqlRequestStore _b = null!;

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(StoreEngine.Postgres);
        var first = (PostgresDatabase)_database.Database;
        _secondDatabase = new PostgresDatabase(first.Location);
        _a = RequestStoreTests.CreateStore(first).Store;
        _b = RequestStoreTests.CreateStore(_secondDatabase).Store;
    }

    public async Task DisposeAsync()
    {
        await _secondDatabase.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ClaimDueAsync_BothServersClaimUntilNoneIsLeft_EachRequestClaimedByExactlyOne()
    {
        var requests = Enumerable.Range(0, 300).Select(_ => RequestStoreTests.NewRequestAt(Now, Agent)).ToList();
        await _a.SaveAsync(requests, TestTimeouts.Token());
        using var start = new Barrier(2);

        var claims = await Task.WhenAll(
            Task.Run(() => ClaimAllAsync(_a, "server-a", Now, start)),
            Task.Run(() => ClaimAllAsync(_b, "server-b", Now, start)));

        var byA = claims[0];
        var byB = claims[1];
        byA.Intersect(byB).ShouldBeEmpty("no request is claimed by both servers");
        byA.Concat(byB).ShouldBe(requests.Select(r => r.Id), ignoreOrder: true, "every request is claimed, once");
        var stored = await _a.ListAsync(new RequestQuery { AgentName = Agent, Limit = RequestQuery.MaxLimit }, TestTimeouts.Token());
        stored.ShouldAllBe(r => r.State == RequestState.Dispatched && r.Attempts == 1, "a request claimed twice would count two attempts");
        stored.Where(r => r.LeaseOwner == "server-a").Select(r => r.Id).ShouldBe(byA, ignoreOrder: true);
        stored.Where(r => r.LeaseOwner == "server-b").Select(r => r.Id).ShouldBe(byB, ignoreOrder: true);
    }

    [Fact]
    public async Task ClaimDueAsync_WhileAnotherServersClaimHoldsTheFirstRows_TakesTheNextWithoutWaiting()
    {
        var requests = Enumerable.Range(0, 4).Select(_ => RequestStoreTests.NewRequestAt(Now, Agent)).ToList();
        await _a.SaveAsync(requests, TestTimeouts.Token());
        var held = requests.Take(2).Select(r => r.Id).ToArray();

        // Server A's claim in flight: its transaction has locked the first two rows and not committed yet.
        await using var connection = (NpgsqlConnection)await _database.Database.OpenAsync(TestTimeouts.Token());
        await using var inFlight = await connection.BeginTransactionAsync(TestTimeouts.Token());
        await using (var lockRows = new NpgsqlCommand("SELECT seq FROM requests WHERE id = ANY(@Ids) FOR UPDATE", connection, inFlight))
        {
            lockRows.Parameters.AddWithValue("Ids", held);
            await lockRows.ExecuteNonQueryAsync(TestTimeouts.Token());
        }

        // A claim that waited for the lock would not return before the token's timeout, and the test would fail.
        var claimed = await _b.ClaimDueAsync(Agent, Now, "server-b", Now.AddSeconds(30), 10, TestTimeouts.Token());

        claimed.Select(r => r.Id).ShouldBe(requests.Skip(2).Select(r => r.Id));
        await inFlight.RollbackAsync(TestTimeouts.Token());
        (await _b.ClaimDueAsync(Agent, Now, "server-b", Now.AddSeconds(30), 10, TestTimeouts.Token())).Select(r => r.Id).ShouldBe(held);
    }

    [Fact]
    public async Task ClaimDueAsync_LeaseOfServerAExpired_ServerBClaimsItAndReleasingAKeepsIt()
    {
        var request = RequestStoreTests.NewRequestAt(Now, Agent);
        await _a.SaveAsync([request], TestTimeouts.Token());
        (await _a.ClaimDueAsync(Agent, Now, "server-a", Now.AddSeconds(30), 10, TestTimeouts.Token())).ShouldHaveSingleItem();

        (await _b.ClaimDueAsync(Agent, Now.AddSeconds(29), "server-b", Now.AddSeconds(59), 10, TestTimeouts.Token())).ShouldBeEmpty("A's lease still runs");
        var reclaimed = await _b.ClaimDueAsync(Agent, Now.AddSeconds(30), "server-b", Now.AddSeconds(60), 10, TestTimeouts.Token());

        var taken = reclaimed.ShouldHaveSingleItem();
        (taken.Id, taken.LeaseOwner, taken.LeaseExpiresAt, taken.Attempts).ShouldBe((request.Id, "server-b", Now.AddSeconds(60), 2));
        (await _a.ReleaseLeasesAsync("server-a", TestTimeouts.Token())).ShouldBe(0, "A no longer holds the lease it lost");
        var stored = (await _a.GetAsync(request.Id, TestTimeouts.Token()))!;
        (stored.State, stored.LeaseOwner).ShouldBe((RequestState.Dispatched, "server-b"));
    }

    [Fact]
    public async Task ReleaseLeasesAsync_OfServerA_ReturnsAsRequestsAndLeavesBsLeased()
    {
        var requests = Enumerable.Range(0, 4).Select(_ => RequestStoreTests.NewRequestAt(Now, Agent)).ToList();
        await _a.SaveAsync(requests, TestTimeouts.Token());
        var byA = await _a.ClaimDueAsync(Agent, Now, "server-a", Now.AddMinutes(5), 2, TestTimeouts.Token());
        var byB = await _b.ClaimDueAsync(Agent, Now, "server-b", Now.AddMinutes(5), 2, TestTimeouts.Token());

        (await _a.ReleaseLeasesAsync("server-a", TestTimeouts.Token())).ShouldBe(2);

        foreach (var released in byA)
        {
            var stored = (await _b.GetAsync(released.Id, TestTimeouts.Token()))!;
            (stored.State, stored.LeaseOwner, stored.LeaseExpiresAt).ShouldBe((RequestState.Accepted, null, null));
        }

        foreach (var kept in byB)
        {
            var stored = (await _b.GetAsync(kept.Id, TestTimeouts.Token()))!;
            (stored.State, stored.LeaseOwner, stored.LeaseExpiresAt).ShouldBe((RequestState.Dispatched, "server-b", Now.AddMinutes(5)));
        }

        (await _b.ClaimDueAsync(Agent, Now, "server-b", Now.AddMinutes(5), 10, TestTimeouts.Token())).Select(r => r.Id)
            .ShouldBe(byA.Select(r => r.Id), "what A released is due again, and B's own leases are not");
    }

    [Fact]
    public async Task SaveAsync_SameKeyFromBothServersAtOnce_OneRowIsKeptAndTheOtherSaveFailsWithKeyTaken()
    {
        // Rounds of two saves started together: the later insert waits at the key's index for the earlier one to commit.
        for (var round = 0; round < 20; round++)
        {
            var key = $"key-{round}";
            var fromA = RequestStoreTests.NewRequestAt(Now, Agent, key: key);
            var fromB = RequestStoreTests.NewRequestAt(Now, Agent, key: key);
            var alsoFromB = RequestStoreTests.NewRequestAt(Now, Agent, key: $"only-b-{round}");
            using var start = new Barrier(2);

            var outcomes = await Task.WhenAll(
                Task.Run(() => SaveAsync(_a, [fromA], start)),
                Task.Run(() => SaveAsync(_b, [alsoFromB, fromB], start)));

            outcomes.Count(o => o is null).ShouldBe(1, $"round {round}: exactly one server's save succeeds");
            var taken = outcomes.OfType<IdempotencyKeyTakenException>().ShouldHaveSingleItem($"round {round}: the other fails with the key taken");
            var winner = taken.RequestId == fromA.Id ? fromB : fromA;
            (taken.AgentName, taken.Key).ShouldBe((Agent, key), "the failed save names the request whose key was taken, not another of its batch");
            (await _database.CountAsync($"SELECT COUNT(*) FROM requests WHERE idempotency_key = '{key}'")).ShouldBe(1);
            (await _a.FindByKeyAsync(Agent, "token:0123456789ab", key, TestTimeouts.Token()))!.Id.ShouldBe(winner.Id);
            (await _b.GetAsync(alsoFromB.Id, TestTimeouts.Token()) is null).ShouldBe(winner.Id == fromA.Id, "B's batch is kept whole or not at all");
        }
    }

    private static async Task<List<string>> ClaimAllAsync(SqlRequestStore store, string owner, DateTimeOffset now, Barrier start)
    {
        start.SignalAndWait(TestTimeouts.Quick);
        var claimed = new List<string>();
        while (await store.ClaimDueAsync(Agent, now, owner, now.AddMinutes(5), 7, TestTimeouts.Token()) is { Count: > 0 } batch)
        {
            claimed.AddRange(batch.Select(r => r.Id));
        }

        return claimed;
    }

    private static async Task<Exception?> SaveAsync(SqlRequestStore store, IReadOnlyList<ProxiedRequest> requests, Barrier start)
    {
        start.SignalAndWait(TestTimeouts.Quick);
        try
        {
            await store.SaveAsync(requests, TestTimeouts.Token());
            return null;
        }
        catch (IdempotencyKeyTakenException ex)
        {
            return ex;
        }
    }
}
