using System.Collections.Concurrent;
using Berth.Core.Workflows.Runs;
using Berth.Storage.Sql;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Storage.Tests.Workflows;

/// <summary>
/// What several Berth servers sharing one PostgreSQL database rely on from the run store: two servers are two run stores
/// over two pools on the same database, working at once.
/// </summary>
[RequiresPostgres]
public sealed class PostgresRunStoreServersTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private TestDatabase _database = null!;
    private SqlRunStore _serverA = null!;
    private SqlRunStore _serverB = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(StoreEngine.Postgres);
        _serverA = new SqlRunStore(_database.Database);
        _serverB = new SqlRunStore(_database.OpenServer());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    private async Task<WorkflowRun> CreateRunAsync(SqlRunStore server, int secondsAgo = 0)
    {
        var run = WorkflowTestData.Run(WorkflowTestData.SimpleSpec(TestDatabase.NewName()), Now.AddSeconds(-secondsAgo));
        await server.CreateAsync(run, WorkflowTestData.PendingSteps(run), WorkflowTestData.Event(run, run.CreatedAt, "run.queued"), TestTimeouts.Token());
        return run;
    }

    [Fact]
    public async Task ClaimAsync_TwoServersClaimingUntilNoneLeft_EveryRunClaimedByExactlyOneServer()
    {
        const int Runs = 120;
        var created = new List<WorkflowRun>();
        for (var i = 0; i < Runs; i++)
        {
            created.Add(await CreateRunAsync(i % 2 == 0 ? _serverA : _serverB, secondsAgo: Runs - i));
        }

        var claims = new ConcurrentQueue<(string Owner, string RunId)>();
        async Task ClaimUntilNoneLeftAsync(SqlRunStore server, string owner)
        {
            // A claim that finds nothing means every run left is locked by a claim in flight, which takes it.
            while (await server.ClaimAsync(owner, Now, Now + Lease, 3, TestTimeouts.Token()) is { Count: > 0 } claimed)
            {
                foreach (var run in claimed)
                {
                    claims.Enqueue((owner, run.Id));
                }
            }
        }

        // Two claimers per server, so claims overlap within one server's pool as well as across the servers.
        await Task.WhenAll(
            Task.Run(() => ClaimUntilNoneLeftAsync(_serverA, "server-a")),
            Task.Run(() => ClaimUntilNoneLeftAsync(_serverA, "server-a")),
            Task.Run(() => ClaimUntilNoneLeftAsync(_serverB, "server-b")),
            Task.Run(() => ClaimUntilNoneLeftAsync(_serverB, "server-b")));

        var byRun = claims.GroupBy(c => c.RunId, StringComparer.Ordinal).ToList();
        byRun.Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("no run may be claimed twice");
        byRun.Select(g => g.Key).ShouldBe(created.Select(r => r.Id), ignoreOrder: true);
        foreach (var (owner, runId) in claims)
        {
            (await _serverB.GetAsync(runId, TestTimeouts.Token()))!.LeaseOwner.ShouldBe(owner, $"run {runId} is leased to the server its claim returned it to");
        }

        output.WriteLine($"server-a claimed {claims.Count(c => c.Owner == "server-a")} runs, server-b {claims.Count(c => c.Owner == "server-b")}");
    }

    [Fact]
    public async Task SaveAsync_TwoServersAppendingToOneRun_SequencesUniqueAndGapless()
    {
        const int WritersPerServer = 4;
        const int SavesPerWriter = 10;
        var run = await CreateRunAsync(_serverA);

        async Task<List<IReadOnlyList<RunEvent>>> AppendAsync(SqlRunStore server, string writer)
        {
            var batches = new List<IReadOnlyList<RunEvent>>();
            for (var i = 0; i < SavesPerWriter; i++)
            {
                batches.Add(await server.SaveAsync(
                    null,
                    [],
                    [WorkflowTestData.Event(run, Now, "step.log", "build", message: $"{writer}-{i}-a"), WorkflowTestData.Event(run, Now, "step.log", "build", message: $"{writer}-{i}-b")],
                    TestTimeouts.Token()));
            }

            return batches;
        }

        var writers = Enumerable.Range(0, WritersPerServer)
            .SelectMany(w => new[] { Task.Run(() => AppendAsync(_serverA, $"a{w}")), Task.Run(() => AppendAsync(_serverB, $"b{w}")) });
        var batches = (await Task.WhenAll(writers)).SelectMany(b => b).ToList();

        const int Appended = 2 * WritersPerServer * 2 * SavesPerWriter;
        batches.SelectMany(b => b.Select(e => e.Sequence)).Order().ShouldBe(Enumerable.Range(2, Appended).Select(i => (long)i));
        var stored = await _serverB.GetEventsAsync(run.Id, 0, Appended + 10, TestTimeouts.Token());
        stored.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, Appended + 1).Select(i => (long)i));
        var messages = stored.ToDictionary(e => e.Sequence, e => e.Message);
        foreach (var batch in batches)
        {
            batch[1].Sequence.ShouldBe(batch[0].Sequence + 1, "one save's events are numbered together");
            batch.ShouldAllBe(e => messages[e.Sequence] == e.Message, "the stored event under each returned sequence is the one saved");
        }
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpiredOnOneServer_TakenByTheOtherAndOldOwnerCannotRenew()
    {
        var run = await CreateRunAsync(_serverA);
        (await _serverA.ClaimAsync("server-a", Now, Now + Lease, 10, TestTimeouts.Token())).ShouldHaveSingleItem().Id.ShouldBe(run.Id);
        _database.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        (await _serverB.ClaimAsync("server-b", Now, Now + Lease, 10, TestTimeouts.Token())).ShouldBeEmpty("server-a's lease is still live");
        _database.Clock.Advance(TimeSpan.FromSeconds(1));

        var taken = await _serverB.ClaimAsync("server-b", Now, Now + Lease, 10, TestTimeouts.Token());
        var renewedByOldOwner = await _serverA.RenewAsync("server-a", [run.Id], Now + Lease + Lease, TestTimeouts.Token());

        taken.ShouldHaveSingleItem().Id.ShouldBe(run.Id);
        renewedByOldOwner.ShouldBeEmpty("server-a's lease ended and server-b holds the run now");
        var stored = (await _serverA.GetAsync(run.Id, TestTimeouts.Token()))!;
        stored.LeaseOwner.ShouldBe("server-b");
        stored.LeaseExpiresAt.ShouldBe(Now + Lease, "the old owner's renewal must not move the new owner's lease");
        (await _serverB.RenewAsync("server-b", [run.Id], Now + Lease + Lease, TestTimeouts.Token())).ShouldBe([run.Id]);
        (await _serverA.ClaimAsync("server-a", Now, Now + Lease, 10, TestTimeouts.Token())).ShouldBeEmpty();
    }
}
