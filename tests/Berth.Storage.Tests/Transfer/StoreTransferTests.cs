using Berth.Core.Agents;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Storage.Transfer;
using Berth.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Tests.Transfer;

/// <summary>
/// Backup and restore between engines, run for each pair by the classes at the end: a backup taken while a writer goes on
/// is one consistent snapshot, and a restore gives the target the same rows, table by table (counts and checksums).
/// </summary>
public abstract class StoreTransferTests(StoreEngine from, StoreEngine to) : IAsyncLifetime
{
    private TestDatabase _source = null!;
    private TestDatabase _target = null!;
    private string _file = "";

    public async Task InitializeAsync()
    {
        _source = await TestDatabase.CreateAsync(from);
        _target = await TestDatabase.CreateAsync(to);
        Directory.CreateDirectory(_source.Directory);
        _file = Path.Combine(_source.Directory, "backup.db");
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task BackupWhileWritesGoOn_ThenRestore_TheTargetHoldsTheSnapshotRowForRow()
    {
        await SeedAsync();
        using var stop = new CancellationTokenSource();
        var writes = Task.Run(() => WritePairsAsync(stop.Token));

        // Wait until the writer has committed some pairs, so the backup is taken in the middle of its work.
        await Eventually.TrueAsync(async _ => await _source.CountAsync("SELECT COUNT(*) FROM leases") >= 20, "the writer to get going");
        var backedUp = await StoreTransfer.BackupAsync(_source.Database, _file, TestTimeouts.Token());
        await stop.CancelAsync();
        var written = await writes;
        File.Exists($"{_file}-wal").ShouldBeFalse("a backup is one self-contained file");

        var restored = await StoreTransfer.RestoreAsync(_file, _target.Database, TestTimeouts.Token());

        restored.ShouldBe(backedUp, "the restore copies exactly what the backup holds");
        (await StoreTransfer.SummarizeAsync(_target.Database, TestTimeouts.Token())).ShouldBe(backedUp, "the target sums as the backup does, read back on its own engine");
        var secrets = (await Names(_target, "SELECT name FROM secrets WHERE name LIKE 'pair-%'")).Select(n => n["pair-".Length..]).ToHashSet();
        var leases = (await Names(_target, "SELECT name FROM leases WHERE name LIKE 'pair-%'")).Select(n => n["pair-".Length..]).ToHashSet();
        secrets.SetEquals(leases).ShouldBeTrue("each pair was written in one transaction, so a snapshot holds both rows or neither");
        secrets.Count.ShouldBeGreaterThanOrEqualTo(20);
        secrets.Count.ShouldBeLessThanOrEqualTo(written);
        backedUp.Single(t => t.Table == "events").Rows.ShouldBe(3);
    }

    [Fact]
    public async Task Restore_IdsGoOnAfterTheRestoredOnes()
    {
        await SeedAsync();
        await StoreTransfer.BackupAsync(_source.Database, _file, TestTimeouts.Token());
        await StoreTransfer.RestoreAsync(_file, _target.Database, TestTimeouts.Token());

        var next = await _target.Events.AppendAsync(Event("after restore"), TestTimeouts.Token());

        next.Id.ShouldBeGreaterThan(3, "a new event takes the id after the restored ones");
    }

    [Fact]
    public async Task Restore_IntoAStoreWithData_IsRefusedAndChangesNothing()
    {
        await SeedAsync();
        await StoreTransfer.BackupAsync(_source.Database, _file, TestTimeouts.Token());
        await _target.Agents.ApplyAsync(TestDatabase.Spec("already-here"), TestTimeouts.Token());
        var before = await StoreTransfer.SummarizeAsync(_target.Database, TestTimeouts.Token());

        var error = await Should.ThrowAsync<InvalidOperationException>(() => StoreTransfer.RestoreAsync(_file, _target.Database, TestTimeouts.Token()));

        error.Message.ShouldContain("already holds data (table agents is not empty)");
        (await StoreTransfer.SummarizeAsync(_target.Database, TestTimeouts.Token())).ShouldBe(before);
    }

    [Fact]
    public async Task Restore_OfABackupANewerBerthWrote_IsRefusedNamingWhatItDoesNotKnow()
    {
        await SeedAsync();
        await StoreTransfer.BackupAsync(_source.Database, _file, TestTimeouts.Token());
        await using (var backup = new SqliteConnection($"Data Source={_file};Pooling=False"))
        {
            await backup.ExecuteAsync("CREATE TABLE quotas (name TEXT PRIMARY KEY); ALTER TABLE agents ADD COLUMN owner TEXT");
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(() => StoreTransfer.RestoreAsync(_file, _target.Database, TestTimeouts.Token()));

        error.Message.ShouldContain("holds quotas, agents.owner, which this version of Berth does not know");
        (await _target.CountAsync("SELECT COUNT(*) FROM agents")).ShouldBe(0, "nothing was copied");
    }

    [Fact]
    public async Task Backup_ToAnExistingFile_IsRefused()
    {
        await File.WriteAllTextAsync(_file, "keep me");

        await Should.ThrowAsync<IOException>(() => StoreTransfer.BackupAsync(_source.Database, _file, TestTimeouts.Token()));

        (await File.ReadAllTextAsync(_file)).ShouldBe("keep me");
    }

    private static AgentEvent Event(string message) =>
        new() { Time = DateTimeOffset.UnixEpoch, AgentName = "alpha", Reason = "Test", Message = message };

    private async Task SeedAsync()
    {
        await _source.Agents.ApplyAsync(TestDatabase.Spec("alpha"), TestTimeouts.Token());
        await _source.Agents.ApplyAsync(TestDatabase.Spec("beta"), TestTimeouts.Token());
        for (var i = 0; i < 3; i++)
        {
            await _source.Events.AppendAsync(Event($"event {i}") with { Warning = i == 1 }, TestTimeouts.Token());
        }

        await new SqlSecretStore(_source.Database, _source.Clock).SetAsync("api", [0, 1, 2, 255], TestTimeouts.Token());
    }

    // A secret and a lease per transaction, until stopped; returns how many pairs were committed.
    private async Task<int> WritePairsAsync(CancellationToken stop)
    {
        var writer = _source.OpenServer();
        var count = 0;
        while (!stop.IsCancellationRequested)
        {
            var name = $"pair-{count:D6}";
            await writer.WriteAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync("INSERT INTO secrets (name, value, created_at, updated_at) VALUES (@Name, @Value, 't', 't')",
                    new { Name = name, Value = new byte[] { 1 } }, transaction);
                await connection.ExecuteAsync("INSERT INTO leases (name, owner, acquired_at, expires_at) VALUES (@Name, 'w', 't', 't')", new { Name = name }, transaction);
            }, CancellationToken.None);
            count++;
        }

        return count;
    }

    private static async Task<IReadOnlyList<string>> Names(TestDatabase database, string sql)
    {
        await using var connection = await database.Database.OpenAsync(TestTimeouts.Token());
        return [.. await connection.QueryAsync<string>(sql)];
    }
}

public sealed class SqliteToSqliteTransferTests() : StoreTransferTests(StoreEngine.Sqlite, StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class SqliteToPostgresTransferTests() : StoreTransferTests(StoreEngine.Sqlite, StoreEngine.Postgres);

[RequiresPostgres]
public sealed class PostgresToSqliteTransferTests() : StoreTransferTests(StoreEngine.Postgres, StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresToPostgresTransferTests() : StoreTransferTests(StoreEngine.Postgres, StoreEngine.Postgres);
