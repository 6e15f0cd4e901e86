using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Messaging.Tests.Embedded;

/// <summary>A real SQLite file in its own temp directory, migrated as a server's store is at start; deleted on dispose with every broker opened on it.</summary>
internal sealed class EmbeddedDatabase : IAsyncDisposable
{
    private readonly List<SqliteMessageBroker> _brokers = [];

    private EmbeddedDatabase(string directory, TimeProvider time)
    {
        Directory = directory;
        Time = time;
        FilePath = Path.Combine(directory, "data", "berth.db");
        Connections = new SqliteDatabase(FilePath);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public TimeProvider Time { get; }

    public SqliteDatabase Connections { get; private set; }

    public static async Task<EmbeddedDatabase> CreateAsync(TimeProvider? time = null)
    {
        var database = new EmbeddedDatabase(Path.Combine(Path.GetTempPath(), "berth-messaging-tests", Guid.NewGuid().ToString("N")), time ?? TimeProvider.System);
        await new SqliteStoreInitializer(database.Connections, database.Time, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(TestTimeouts.Token());
        return database;
    }

    public SqliteMessageBroker OpenBroker()
    {
        var broker = new SqliteMessageBroker(Connections, Time, NullLogger<SqliteMessageBroker>.Instance);
        _brokers.Add(broker);
        return broker;
    }

    /// <summary>
    /// A broker on the same file through a new connection factory, as a restarted server has; the old broker is left as a
    /// crash leaves it (not disposed, its connection still open) until the database is disposed.
    /// </summary>
    public SqliteMessageBroker Reopen()
    {
        Connections = new SqliteDatabase(FilePath);
        return OpenBroker();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestTimeouts.Token()))!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var broker in _brokers)
        {
            await broker.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Quick);
        }

        // Pooled connections keep the file, -wal and -shm open; drop them before deleting the directory.
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
