using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Storage.Mapping;
using Berth.Storage.Migrations;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Tests.Sqlite;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.CreateEmpty();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public void Catalog_SqliteMigrations_NumberedFromOneInOrder()
    {
        var migrations = SqliteMigrations.All;

        migrations.Select(m => m.Version).ShouldBe(Enumerable.Range(1, migrations.Count));
        migrations.Select(m => m.Name).Take(4).ShouldBe(["agents", "instances", "events", "tokens"]);
        migrations.ShouldAllBe(m => m.Sql.Contains("CREATE TABLE", StringComparison.Ordinal) || m.Sql.Contains("ALTER TABLE", StringComparison.Ordinal) || m.Sql.Contains("UPDATE ", StringComparison.Ordinal) || m.Sql.Contains("CREATE INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_MissingDirectory_CreatesFileInWalMode()
    {
        File.Exists(_database.FilePath).ShouldBeFalse();

        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());

        File.Exists(_database.FilePath).ShouldBeTrue();
        await using var connection = await _database.Sqlite.OpenAsync(TestTimeouts.Token());
        (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode")).ShouldBe("wal");
    }

    [Fact]
    public async Task OpenAsync_AnyConnection_HasForeignKeysBusyTimeoutAndNormalSync()
    {
        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());

        await using var connection = await _database.Sqlite.OpenAsync(TestTimeouts.Token());

        (await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys")).ShouldBe(1);
        (await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout")).ShouldBe(5000);
        (await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")).ShouldBe(1, "1 is NORMAL");
    }

    [Fact]
    public async Task InitializeAsync_Reopened_AppliesEachMigrationOnce()
    {
        var appliedAt = _database.Clock.GetUtcNow();
        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromHours(1));
        _database.Reopen();

        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());

        await using var connection = await _database.Sqlite.OpenAsync(TestTimeouts.Token());
        var rows = (await connection.QueryAsync<(long Version, string Name, string AppliedAt)>(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")).ToList();
        rows.Select(r => r.Version).ShouldBe(SqliteMigrations.All.Select(m => (long)m.Version));
        rows.Select(r => r.Name).ShouldBe(SqliteMigrations.All.Select(m => m.Name));
        rows.ShouldAllBe(r => r.AppliedAt == StoredTime.Format(appliedAt));
    }

    [Fact]
    public async Task RunAsync_SecondRun_AppliesNothing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        var runner = new MigrationRunner(_database.Sqlite, SqliteMigrations.All, _database.Clock, NullLogger.Instance);

        (await runner.RunAsync(TestTimeouts.Token())).ShouldBe(SqliteMigrations.All.Count);
        (await runner.RunAsync(TestTimeouts.Token())).ShouldBe(0);
    }

    [Fact]
    public async Task InitializeAsync_ConcurrentStarts_BothSucceedAndMigrateOnce()
    {
        var first = _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        var second = new SqliteStoreInitializer(
            new SqliteDatabase(_database.FilePath), _database.Clock, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(TestTimeouts.Token());

        await Task.WhenAll(first, second).WaitAsync(TestTimeouts.Slow);

        (await _database.CountAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(SqliteMigrations.All.Count);
    }

    [Fact]
    public async Task InitializeAsync_SchemaNewerThanCode_RefusesAndSaysUpgrade()
    {
        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        await _database.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (42, 'future', '2030-01-01T00:00:00.0000000Z')");

        var error = await Should.ThrowAsync<InvalidOperationException>(
            () => _database.CreateInitializer().InitializeAsync(TestTimeouts.Token()));

        error.Message.ShouldContain("schema version 42");
        error.Message.ShouldContain("upgrade berth");
        error.Message.ShouldContain(_database.FilePath);
    }

    [Fact]
    public async Task InitializeAsync_FileIsNotADatabase_ExplainsWhichFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        await File.WriteAllTextAsync(_database.FilePath, new string('x', 4096), TestTimeouts.Token());

        var error = await Should.ThrowAsync<InvalidOperationException>(
            () => _database.CreateInitializer().InitializeAsync(TestTimeouts.Token()));

        error.Message.ShouldContain($"sqlite:{_database.FilePath}");
    }

    [Fact]
    public async Task IdempotencyScope_RequestsStoredBeforeTheMigration_KeepTheirKeyScopedToTheirCaller()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        var before = SqliteMigrations.All.Where(m => m.Name != "idempotency_scope" && m.Version < 9).ToList();
        await new MigrationRunner(_database.Sqlite, before, _database.Clock, NullLogger.Instance).RunAsync(TestTimeouts.Token());
        await _database.ExecuteAsync(
            """
            INSERT INTO requests (id, agent, state, method, target, request_payload, body_length, idempotency_key, fingerprint, caller, caller_agent,
                attempts, max_attempts, accepted_at, updated_at)
            VALUES ('r1', 'echo', 'completed', 'POST', '/', x'00', 0, 'k', 'f', 'token:aaaaaaaaaaaa', NULL, 1, 5, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                   ('r2', 'echo', 'completed', 'POST', '/', x'00', 0, 'k2', 'f', 'agent:caller/caller-0', 'caller', 1, 5, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                   ('r3', 'echo', 'completed', 'POST', '/', x'00', 0, NULL, 'f', 'token:aaaaaaaaaaaa', NULL, 1, 5, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')
            """);

        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());

        await using var connection = await _database.Sqlite.OpenAsync(TestTimeouts.Token());
        var rows = (await connection.QueryAsync<(string Id, string? Key, string? Scope)>(
            "SELECT id, idempotency_key, idempotency_scope FROM requests ORDER BY id")).ToList();
        rows.ShouldBe([("r1", "k", "token:aaaaaaaaaaaa"), ("r2", "k2", "agent:caller"), ("r3", null, null)]);
    }

    [Fact]
    public async Task SpecMemoryField_SpecsStoredBeforeTheMigration_ReadWithTheirMemoryLimits()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        var before = SqliteMigrations.All.Where(m => m.Version < 11).ToList();
        await new MigrationRunner(_database.Sqlite, before, _database.Clock, NullLogger.Instance).RunAsync(TestTimeouts.Token());
        const string Steps = """[{"id":"a","kind":"container","container":{"image":"x","resources":{"memoryBytes":536870912,"cpus":0.5}}},{"id":"b","kind":"container","container":{"image":"x","env":{"memoryBytes":"kept"}}}]""";
        await _database.ExecuteAsync(
            $$$"""
            INSERT INTO agents (name, spec, generation, desired_state, created_at, updated_at)
            VALUES ('echo', '{"name":"echo","image":"local/echo:1","resources":{"memoryBytes":268435456}}', 1, 'running', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                   ('plain', '{"name":"plain","image":"local/echo:1"}', 1, 'running', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            INSERT INTO workflows (name, spec, generation, created_at, updated_at)
            VALUES ('wf', '{"name":"wf","steps":{{{Steps}}}}', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            INSERT INTO runs (id, workflow_name, spec, inputs, state, started_by, created_at)
            VALUES ('r1', 'wf', '{"name":"wf","steps":{{{Steps}}}}', '{}', 'succeeded', 'token:x', '2026-01-01T00:00:00.0000000Z');
            """);

        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());

        await using var connection = await _database.Sqlite.OpenAsync(TestTimeouts.Token());
        var agents = (await connection.QueryAsync<(string Name, string Spec)>("SELECT name, spec FROM agents ORDER BY name"))
            .ToDictionary(r => r.Name, r => JsonSerializer.Deserialize<AgentSpec>(r.Spec, BerthJson.Options)!);
        agents["echo"].Resources!.MemoryBytes.ShouldBe(256L << 20);
        agents["plain"].Resources.ShouldBeNull();
        foreach (var table in new[] { "workflows", "runs" })
        {
            var spec = JsonSerializer.Deserialize<WorkflowSpec>(await connection.ExecuteScalarAsync<string>($"SELECT spec FROM {table}") ?? "", BerthJson.Options)!;
            spec.Steps.Select(s => s.Id).ShouldBe(["a", "b"], table);
            spec.Steps[0].Container!.Resources.ShouldBe(new ResourceSpec { MemoryBytes = 512L << 20, Cpus = 0.5 }, table);
            spec.Steps[1].Container!.Env.ShouldBe(new Dictionary<string, string> { ["memoryBytes"] = "kept" }, table);
        }
    }

    [Fact]
    public async Task Capabilities_AgentsStoredAsPlainNamesBeforeTheMigration_ReadAsMappingsInOrder()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        var before = SqliteMigrations.All.Where(m => m.Version < 13).ToList();
        await new MigrationRunner(_database.Sqlite, before, _database.Clock, NullLogger.Instance).RunAsync(TestTimeouts.Token());
        await _database.ExecuteAsync(
            """
            INSERT INTO agents (name, spec, generation, desired_state, created_at, updated_at)
            VALUES ('summarizer', '{"name":"summarizer","image":"local/echo:1","capabilities":["summarize","translate","count-words"]}', 3, 'running', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                   ('plain', '{"name":"plain","image":"local/echo:1"}', 1, 'running', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                   ('empty', '{"name":"empty","image":"local/echo:1","capabilities":[]}', 1, 'stopped', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            """);

        await _database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        _database.Reopen();

        var summarizer = (await _database.Agents.GetAsync("summarizer", TestTimeouts.Token()))!;
        summarizer.Spec.Capabilities.ShouldBe(
            [new DeclaredCapability { Name = "summarize" }, new DeclaredCapability { Name = "translate" }, new DeclaredCapability { Name = "count-words" }]);
        summarizer.Generation.ShouldBe(3, "the rewrite is a change of storage shape, not a new generation of the spec");
        (await _database.Agents.GetAsync("plain", TestTimeouts.Token()))!.Spec.Capabilities.ShouldBeEmpty();
        (await _database.Agents.GetAsync("empty", TestTimeouts.Token()))!.Spec.Capabilities.ShouldBeEmpty();
        var listed = await _database.Agents.ListAsync(TestTimeouts.Token());
        listed.Select(a => a.Name).Order(StringComparer.Ordinal).ShouldBe(["empty", "plain", "summarizer"]);
    }

    [Fact]
    public async Task RunAsync_FailingMigration_RolledBackAndNotRecorded()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        Migration[] migrations = [new(1, "good", "CREATE TABLE good (id INTEGER)"), new(2, "bad", "CREATE TABLE partial (id INTEGER); SELECT * FROM missing_table")];
        var runner = new MigrationRunner(_database.Sqlite, migrations, _database.Clock, NullLogger.Instance);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => runner.RunAsync(TestTimeouts.Token()));

        error.Message.ShouldContain("0002_bad");
        (await _database.CountAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(1);
        (await _database.CountAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'partial'")).ShouldBe(0);
    }
}
