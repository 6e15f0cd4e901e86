using Berth.Core.Workflows.Runs;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Workflows;

/// <summary>The run store's lease contract: which server drives which run, run on each engine by the classes at the end of the file.</summary>
public abstract class RunStoreClaimTests(StoreEngine engine) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private TestDatabase _database = null!;
    private SqlRunStore _runs = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _runs = new SqlRunStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    private async Task<WorkflowRun> CreateRunAsync(RunState state = RunState.Queued, int secondsAgo = 0)
    {
        var run = WorkflowTestData.Run(WorkflowTestData.SimpleSpec(TestDatabase.NewName()), Now.AddSeconds(-secondsAgo), state);
        await _runs.CreateAsync(run, WorkflowTestData.PendingSteps(run), WorkflowTestData.Event(run, run.CreatedAt, "run.queued"), TestTimeouts.Token());
        return run;
    }

    private Task<IReadOnlyList<WorkflowRun>> ClaimAsync(string owner, int limit = 10) =>
        _runs.ClaimAsync(owner, Now, Now + Lease, limit, TestTimeouts.Token());

    [Fact]
    public async Task ClaimAsync_QueuedAndRunning_LeasedToTheOwnerOldestFirst()
    {
        var newer = await CreateRunAsync(RunState.Queued, secondsAgo: 1);
        var older = await CreateRunAsync(RunState.Running, secondsAgo: 2);

        var claimed = await ClaimAsync("server-a");

        claimed.Select(r => r.Id).ShouldBe([older.Id, newer.Id]);
        claimed.ShouldAllBe(r => r.LeaseOwner == "server-a" && r.LeaseExpiresAt == Now + Lease);
        var stored = (await _runs.GetAsync(newer.Id, TestTimeouts.Token()))!;
        stored.LeaseOwner.ShouldBe("server-a");
        stored.LeaseExpiresAt.ShouldBe(Now + Lease);
    }

    [Fact]
    public async Task ClaimAsync_Limit_TakesTheOldest()
    {
        var oldest = await CreateRunAsync(secondsAgo: 3);
        var middle = await CreateRunAsync(secondsAgo: 2);
        var newest = await CreateRunAsync(secondsAgo: 1);

        (await ClaimAsync("server-a", limit: 2)).Select(r => r.Id).ShouldBe([oldest.Id, middle.Id]);
        (await ClaimAsync("server-b", limit: 2)).Select(r => r.Id).ShouldBe([newest.Id]);
    }

    [Fact]
    public async Task ClaimAsync_AnotherServersLiveLease_Skipped()
    {
        var run = await CreateRunAsync();
        await ClaimAsync("server-a");
        _database.Clock.Advance(Lease - TimeSpan.FromSeconds(1));

        (await ClaimAsync("server-b")).ShouldBeEmpty();

        (await _runs.GetAsync(run.Id, TestTimeouts.Token()))!.LeaseOwner.ShouldBe("server-a");
    }

    [Fact]
    public async Task ClaimAsync_AnotherServersExpiredLease_Taken()
    {
        var run = await CreateRunAsync(RunState.Running);
        await ClaimAsync("server-a");
        _database.Clock.Advance(Lease);

        var claimed = await ClaimAsync("server-b");

        claimed.ShouldHaveSingleItem().Id.ShouldBe(run.Id);
        claimed[0].LeaseOwner.ShouldBe("server-b");
        (await ClaimAsync("server-a")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ClaimAsync_OwnLiveLease_NotTakenAgain_UntilReleasedAtRestart()
    {
        var run = await CreateRunAsync(RunState.Running);
        await ClaimAsync("server-a");
        (await ClaimAsync("server-a")).ShouldBeEmpty();
        _database.Reopen();
        var restarted = new SqlRunStore(_database.Database);
        _database.Clock.Advance(TimeSpan.FromSeconds(5));

        await restarted.ReleaseAsync("server-a", TestTimeouts.Token());
        var claimed = await restarted.ClaimAsync("server-a", Now, Now + Lease, 10, TestTimeouts.Token());

        claimed.ShouldHaveSingleItem().Id.ShouldBe(run.Id);
        claimed[0].LeaseExpiresAt.ShouldBe(Now + Lease);
    }

    [Theory]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.Failed)]
    [InlineData(RunState.Cancelled)]
    public async Task ClaimAsync_FinishedRun_NeverTaken(RunState state)
    {
        var run = await CreateRunAsync(RunState.Running);
        await ClaimAsync("server-a");
        await _runs.SaveAsync(run with { State = state, FinishedAt = Now }, [], [], TestTimeouts.Token());
        _database.Clock.Advance(Lease * 2);

        (await ClaimAsync("server-a")).ShouldBeEmpty();
        (await ClaimAsync("server-b")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ClaimAsync_ConcurrentServers_EachRunTakenOnce()
    {
        var runs = new List<WorkflowRun>();
        for (var i = 0; i < 12; i++)
        {
            runs.Add(await CreateRunAsync(secondsAgo: 12 - i));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => ClaimAsync($"server-{i}", limit: 3))));

        claims.SelectMany(c => c.Select(r => r.Id)).Order(StringComparer.Ordinal).ShouldBe(runs.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveAsync_RunWithTheLeaseItWasClaimedWith_DoesNotUndoARenewal()
    {
        await CreateRunAsync();
        var claimed = (await ClaimAsync("server-a")).Single();
        _database.Clock.Advance(Lease / 2);
        await _runs.RenewAsync("server-a", [claimed.Id], Now + Lease, TestTimeouts.Token());

        await _runs.SaveAsync(claimed with { State = RunState.Running }, [], [], TestTimeouts.Token());
        _database.Clock.Advance(Lease * 3 / 4);

        (await ClaimAsync("server-b")).ShouldBeEmpty();
        (await _runs.GetAsync(claimed.Id, TestTimeouts.Token()))!.State.ShouldBe(RunState.Running);
    }

    [Fact]
    public async Task RenewAsync_OwnLease_Extended_OthersLeaseUntouched()
    {
        var mine = await CreateRunAsync(secondsAgo: 2);
        var theirs = await CreateRunAsync(secondsAgo: 1);
        await ClaimAsync("server-a", limit: 1);
        await ClaimAsync("server-b", limit: 1);
        var originalEnd = Now + Lease;
        _database.Clock.Advance(TimeSpan.FromSeconds(20));

        var renewed = await _runs.RenewAsync("server-a", [mine.Id, theirs.Id], Now + Lease, TestTimeouts.Token());

        renewed.ShouldBe([mine.Id]);
        (await _runs.GetAsync(mine.Id, TestTimeouts.Token()))!.LeaseExpiresAt.ShouldBe(Now + Lease);
        var other = (await _runs.GetAsync(theirs.Id, TestTimeouts.Token()))!;
        other.LeaseOwner.ShouldBe("server-b");
        other.LeaseExpiresAt.ShouldBe(originalEnd);
        _database.Clock.Advance(TimeSpan.FromSeconds(15));
        (await ClaimAsync("server-c")).Select(r => r.Id).ShouldBe([theirs.Id]);
    }
}

public sealed class SqliteRunStoreClaimTests() : RunStoreClaimTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresRunStoreClaimTests() : RunStoreClaimTests(StoreEngine.Postgres);
