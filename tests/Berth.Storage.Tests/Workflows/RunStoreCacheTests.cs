using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Workflows;

/// <summary>The run store's step cache contract, run on each engine by the classes at the end of the file.</summary>
public abstract class RunStoreCacheTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlRunStore _runs = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _runs = new SqlRunStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    private CacheEntry Entry(string workflow = "wf", string step = "build", TimeSpan? ttl = null, string? stdout = "built") => new()
    {
        Key = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32),
        WorkflowName = workflow,
        StepId = step,
        Parts = new Dictionary<string, string> { ["kind"] = "c1", ["image"] = "sha256:abc", ["env.TOKEN"] = "hmac:ff", ["file:/src/a"] = "0a" },
        Outputs = new StepOutputs
        {
            Stdout = stdout,
            ExitCode = 0,
            Files = new Dictionary<string, ArtifactRef> { ["/out/bin"] = new(new string('b', 64), 1024) },
            Body = new JsonObject { ["ok"] = true },
        },
        CreatedAt = Now,
        ExpiresAt = Now + ttl,
    };

    [Fact]
    public async Task PutCacheAsync_ThenFind_ReadsTheEntryBack()
    {
        var entry = Entry(ttl: TimeSpan.FromHours(1));

        await _runs.PutCacheAsync(entry, TestTimeouts.Token());
        var found = await _runs.FindCacheAsync(entry.Key, Now, TestTimeouts.Token());

        found.ShouldNotBeNull();
        (found with { Parts = entry.Parts, Outputs = entry.Outputs }).ShouldBe(entry);
        found.Parts.ShouldBe(entry.Parts);
        found.Outputs.Stdout.ShouldBe("built");
        found.Outputs.Files["/out/bin"].ShouldBe(new ArtifactRef(new string('b', 64), 1024));
        JsonNode.DeepEquals(found.Outputs.Body, entry.Outputs.Body).ShouldBeTrue();
    }

    [Fact]
    public async Task FindCacheAsync_Expired_Null_NoTtl_NeverExpires()
    {
        var expiring = Entry(ttl: TimeSpan.FromMinutes(10));
        var forever = Entry();
        await _runs.PutCacheAsync(expiring, TestTimeouts.Token());
        await _runs.PutCacheAsync(forever, TestTimeouts.Token());

        (await _runs.FindCacheAsync(expiring.Key, Now + TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1), TestTimeouts.Token())).ShouldNotBeNull();
        (await _runs.FindCacheAsync(expiring.Key, Now + TimeSpan.FromMinutes(10), TestTimeouts.Token())).ShouldBeNull();
        (await _runs.FindCacheAsync(forever.Key, Now + TimeSpan.FromDays(3650), TestTimeouts.Token())).ShouldNotBeNull();
        (await _runs.FindCacheAsync("unknown", Now, TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task PutCacheAsync_SameKey_Replaces()
    {
        var entry = Entry(ttl: TimeSpan.FromMinutes(1));
        await _runs.PutCacheAsync(entry, TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(5));

        await _runs.PutCacheAsync(entry with { CreatedAt = Now, ExpiresAt = null, Outputs = new StepOutputs { Stdout = "rebuilt" } }, TestTimeouts.Token());

        var found = (await _runs.FindCacheAsync(entry.Key, Now, TestTimeouts.Token()))!;
        found.Outputs.Stdout.ShouldBe("rebuilt");
        found.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task RecentCacheAsync_OneStep_NewestFirstWithinLimitIncludingExpired()
    {
        var workflow = TestDatabase.NewName();
        var entries = new List<CacheEntry>();
        for (var i = 0; i < 4; i++)
        {
            entries.Add(Entry(workflow, ttl: TimeSpan.FromSeconds(1), stdout: $"v{i}"));
            await _runs.PutCacheAsync(entries[^1], TestTimeouts.Token());
            _database.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await _runs.PutCacheAsync(Entry(workflow, step: "test"), TestTimeouts.Token());
        await _runs.PutCacheAsync(Entry(TestDatabase.NewName()), TestTimeouts.Token());

        var recent = await _runs.RecentCacheAsync(workflow, "build", 3, TestTimeouts.Token());

        recent.Select(e => e.Key).ShouldBe([entries[3].Key, entries[2].Key, entries[1].Key]);
        recent[0].Parts.ShouldBe(entries[3].Parts);
        (await _runs.RecentCacheAsync(workflow, "deploy", 3, TestTimeouts.Token())).ShouldBeEmpty();
    }
}

public sealed class SqliteRunStoreCacheTests() : RunStoreCacheTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresRunStoreCacheTests() : RunStoreCacheTests(StoreEngine.Postgres);
