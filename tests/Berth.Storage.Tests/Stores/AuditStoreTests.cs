using System.Data.Common;
using Berth.Core.Security;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// The audit log's contract, run on each engine by the classes at the end of the file: records come back as written, newest
/// first, and the database itself (a trigger on either engine) refuses to change them or to delete one younger than a day.
/// </summary>
public abstract class AuditStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlAuditStore _audit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _audit = new SqlAuditStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private AuditRecord NewRecord(string principal = "token:0123456789ab", int status = 200, string? target = "name=web") => new()
    {
        Time = _database.Clock.GetUtcNow(),
        Principal = principal,
        TokenId = principal.StartsWith("token:", StringComparison.Ordinal) ? principal[6..] : null,
        Role = principal == "anonymous" ? null : BerthRoles.Operator,
        Action = "PUT /api/v1/agents/{name}",
        Verb = "agents.apply",
        Target = target,
        Status = status,
        Outcome = AuditOutcomes.FromStatus(status),
        Source = "127.0.0.1",
    };

    private Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery? query = null) => _audit.ListAsync(query ?? new AuditQuery(), TestTimeouts.Token());

    [Fact]
    public async Task AppendAsync_Record_ReadBackWithEveryFieldAndAnId()
    {
        var record = NewRecord();

        await _audit.AppendAsync([record], TestTimeouts.Token());

        var stored = (await ListAsync()).ShouldHaveSingleItem();
        stored.Id.ShouldBeGreaterThan(0);
        stored.ShouldBe(record with { Id = stored.Id });
    }

    [Fact]
    public async Task ListAsync_SeveralBatches_NewestFirstAndPagesWithBeforeId()
    {
        await _audit.AppendAsync([NewRecord(target: "name=a"), NewRecord(target: "name=b")], TestTimeouts.Token());
        await _audit.AppendAsync([NewRecord(target: "name=c")], TestTimeouts.Token());

        var all = await ListAsync();
        var page = await ListAsync(new AuditQuery { Limit = 2 });
        var next = await ListAsync(new AuditQuery { Limit = 2, BeforeId = page[^1].Id });

        all.Select(r => r.Target).ShouldBe(["name=c", "name=b", "name=a"]);
        page.Select(r => r.Target).ShouldBe(["name=c", "name=b"]);
        next.Select(r => r.Target).ShouldBe(["name=a"]);
    }

    [Fact]
    public async Task ListAsync_SinceAndPrincipal_FilterTheRecords()
    {
        await _audit.AppendAsync([NewRecord(principal: "anonymous", status: 401)], TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromHours(2));
        var cutoff = _database.Clock.GetUtcNow();
        await _audit.AppendAsync([NewRecord(principal: "anonymous", status: 401), NewRecord()], TestTimeouts.Token());

        (await ListAsync(new AuditQuery { Since = cutoff })).Count.ShouldBe(2);
        (await ListAsync(new AuditQuery { Principal = "anonymous" })).Count.ShouldBe(2);
        var both = (await ListAsync(new AuditQuery { Since = cutoff, Principal = "anonymous" })).ShouldHaveSingleItem();
        both.Time.ShouldBe(cutoff);
        both.Outcome.ShouldBe(AuditOutcomes.Denied);
        both.Role.ShouldBeNull();
    }

    [Theory]
    [InlineData("UPDATE audit SET outcome = 'allowed'", "cannot be changed")]
    [InlineData("DELETE FROM audit", "younger than a day cannot be deleted")]
    public async Task Table_UpdateOrDeleteOfARecentRecord_RefusedByTheDatabase(string sql, string reason)
    {
        // The table's guard compares with the database's own clock, so the record must be recent by the real one.
        await _audit.AppendAsync([NewRecord(status: 403) with { Time = DateTimeOffset.UtcNow }], TestTimeouts.Token());

        var refused = await Should.ThrowAsync<DbException>(() => _database.ExecuteAsync(sql));

        refused.Message.ShouldContain(reason);
        (await ListAsync()).ShouldHaveSingleItem().Outcome.ShouldBe(AuditOutcomes.Denied);
    }

    [Fact]
    public async Task PurgeAsync_DeletesRecordsOlderThanTheCutoff_KeepsTheRestAndTheirCounts()
    {
        var old = NewRecord(target: "name=old") with { Time = DateTimeOffset.UtcNow.AddDays(-100) };
        var kept = NewRecord(target: "name=kept", status: 401) with { Time = DateTimeOffset.UtcNow.AddDays(-10), Count = 42 };
        await _audit.AppendAsync([old, kept], TestTimeouts.Token());

        var purged = await _audit.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-90), TestTimeouts.Token());

        purged.ShouldBe(1);
        var left = (await ListAsync()).ShouldHaveSingleItem();
        left.Target.ShouldBe("name=kept");
        left.Count.ShouldBe(42);
    }

    [Fact]
    public async Task PurgeAsync_CutoffReachingTheLastDay_RefusedWholeByTheDatabase()
    {
        var old = NewRecord(target: "name=old") with { Time = DateTimeOffset.UtcNow.AddDays(-100) };
        var recent = NewRecord(target: "name=recent") with { Time = DateTimeOffset.UtcNow.AddHours(-1) };
        await _audit.AppendAsync([old, recent], TestTimeouts.Token());

        var refused = await Should.ThrowAsync<DbException>(() => _audit.PurgeAsync(DateTimeOffset.UtcNow, TestTimeouts.Token()));

        refused.Message.ShouldContain("younger than a day cannot be deleted");
        (await ListAsync()).Select(r => r.Target).ShouldBe(["name=recent", "name=old"], "a refused purge deletes nothing, not even the old record");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AuditQuery.MaxLimit + 1)]
    public async Task ListAsync_LimitOutOfRange_Throws(int limit) =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ListAsync(new AuditQuery { Limit = limit }));
}

public sealed class SqliteAuditStoreTests() : AuditStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresAuditStoreTests() : AuditStoreTests(StoreEngine.Postgres);
