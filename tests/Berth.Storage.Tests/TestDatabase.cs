using Berth.Core.Specs;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.Tests;

/// <summary>A real SQLite file in its own temp directory, with the three stores over it; deleted on dispose.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string directory)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, "data", "berth.db");
        Connections = new SqliteConnectionFactory(FilePath);
        Agents = new SqliteAgentStore(Connections, Clock);
        Instances = new SqliteInstanceStore(Connections);
        Events = new SqliteEventStore(Connections);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public SqliteConnectionFactory Connections { get; private set; }

    public SqliteAgentStore Agents { get; private set; }

    public SqliteInstanceStore Instances { get; private set; }

    public SqliteEventStore Events { get; private set; }

    /// <summary>A database whose file does not exist yet (not initialized).</summary>
    public static TestDatabase CreateEmpty() =>
        new(Path.Combine(Path.GetTempPath(), "berth-storage-tests", Guid.NewGuid().ToString("N")));

    /// <summary>An initialized database, ready for the stores.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var database = CreateEmpty();
        await database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        return database;
    }

    public static string NewName() => $"t{Guid.NewGuid():N}"[..12];

    public static AgentSpec Spec(string name, string image = "local/echo:1") => new() { Name = name, Image = image };

    public SqliteStoreInitializer CreateInitializer() =>
        new(Connections, Clock, NullLogger<SqliteStoreInitializer>.Instance);

    /// <summary>Drops every pooled connection and opens the same file through new stores, as a restarted server would.</summary>
    public void Reopen()
    {
        SqliteConnection.ClearAllPools();
        Connections = new SqliteConnectionFactory(FilePath);
        Agents = new SqliteAgentStore(Connections, Clock);
        Instances = new SqliteInstanceStore(Connections);
        Events = new SqliteEventStore(Connections);
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestTimeouts.Token()))!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestTimeouts.Token());
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file, -wal and -shm open; drop them before deleting the directory.
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
