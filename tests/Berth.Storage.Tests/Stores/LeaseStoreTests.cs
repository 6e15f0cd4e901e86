using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The lease store's contract (the leader lease of several servers), run on each engine by the classes at the end.</summary>
public abstract class LeaseStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private const string Leader = "leader";
    private static readonly TimeSpan Term = TimeSpan.FromSeconds(15);
    private TestDatabase _database = null!;
    private SqlLeaseStore _leases = null!;

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _leases = new SqlLeaseStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private Task<LeaseHolder> HoldAsync(string owner) => _leases.TryHoldAsync(Leader, owner, Now, Now + Term, TestTimeouts.Token());

    [Fact]
    public async Task TryHold_FreeLease_TheFirstTakesItAndTheSecondLearnsWhoHoldsIt()
    {
        (await _leases.GetAsync(Leader, TestTimeouts.Token())).ShouldBeNull();

        var first = await HoldAsync("server-a");
        var second = await HoldAsync("server-b");

        first.ShouldBe(new LeaseHolder(Leader, "server-a", Now, Now + Term));
        second.ShouldBe(first, "server-b did not take a lease server-a holds");
        second.IsHeldBy("server-b", Now).ShouldBeFalse();
        (await _leases.GetAsync(Leader, TestTimeouts.Token())).ShouldBe(first);
    }

    [Fact]
    public async Task TryHold_ByTheHolder_RenewsKeepingWhenItFirstTookIt()
    {
        var taken = await HoldAsync("server-a");
        _database.Clock.Advance(TimeSpan.FromSeconds(5));

        var renewed = await HoldAsync("server-a");

        renewed.ShouldBe(new LeaseHolder(Leader, "server-a", taken.AcquiredAt, Now + Term));
    }

    [Fact]
    public async Task TryHold_AfterTheHolderStoppedRenewing_AnotherServerTakesItOnceItExpires()
    {
        await HoldAsync("server-a");
        _database.Clock.Advance(Term - TimeSpan.FromTicks(1));
        (await HoldAsync("server-b")).Owner.ShouldBe("server-a", "a moment before it expires the lease is still server-a's");

        _database.Clock.Advance(TimeSpan.FromTicks(1));
        var taken = await HoldAsync("server-b");

        taken.ShouldBe(new LeaseHolder(Leader, "server-b", Now, Now + Term));
        (await HoldAsync("server-a")).Owner.ShouldBe("server-b", "the old holder cannot renew a lease it lost");
    }

    [Fact]
    public async Task Release_OnlyByTheHolder_AndThenAnotherServerTakesItAtOnce()
    {
        await HoldAsync("server-a");

        (await _leases.ReleaseAsync(Leader, "server-b", TestTimeouts.Token())).ShouldBeFalse();
        (await _leases.ReleaseAsync(Leader, "server-a", TestTimeouts.Token())).ShouldBeTrue();

        (await HoldAsync("server-b")).Owner.ShouldBe("server-b");
    }

    [Fact]
    public async Task TryHold_ManyServersAtOnce_ExactlyOneWinsAndAllAgreeWhich()
    {
        var owners = Enumerable.Range(0, 8).Select(i => $"server-{i}").ToList();

        var answers = await Task.WhenAll(owners.Select(owner => Task.Run(() => HoldAsync(owner))));

        answers.Select(a => a.Owner).Distinct().Count().ShouldBe(1, string.Join(", ", answers.Select(a => a.Owner)));
        (await _leases.GetAsync(Leader, TestTimeouts.Token()))!.Owner.ShouldBe(answers[0].Owner);
    }

    [Fact]
    public async Task TryHold_UntilNotAfterNow_IsRefused()
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _leases.TryHoldAsync(Leader, "server-a", Now, Now, TestTimeouts.Token()));
    }
}

public sealed class SqliteLeaseStoreTests() : LeaseStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresLeaseStoreTests() : LeaseStoreTests(StoreEngine.Postgres);
