using System.Globalization;
using Berth.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Berth.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Messaging.Tests.Embedded;

/// <summary>
/// A real store of one engine, migrated as a server's store is at start: a SQLite file in its own temp directory, or a
/// database of its own on the scratch PostgreSQL server. Deleted on dispose with every broker opened on it.
/// </summary>
internal sealed class EmbeddedDatabase : IAsyncDisposable
{
    private readonly List<EmbeddedMessageBroker> _brokers = [];
    private readonly List<StoreDatabase> _opened = [];
    private readonly List<StoreSignals> _signals = [];
    private readonly string? _postgresUrl;

    private EmbeddedDatabase(StoreEngine engine, string directory, string? postgresUrl, TimeProvider time)
    {
        Engine = engine;
        Directory = directory;
        Time = time;
        FilePath = Path.Combine(directory, "data", "berth.db");
        _postgresUrl = postgresUrl;
        Connections = Open();
    }

    public StoreEngine Engine { get; }

    public string Directory { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string FilePath { get; }

    public TimeProvider Time { get; }

    public StoreDatabase Connections { get; private set; }

    /// <summary>The store as SQLite, for tests of what only the SQLite path does (its group-commit writer).</summary>
    public SqliteDatabase Sqlite => Connections as SqliteDatabase ?? throw new InvalidOperationException("This test database is not SQLite.");

    public static async Task<EmbeddedDatabase> CreateAsync(StoreEngine engine = StoreEngine.Sqlite, TimeProvider? time = null)
    {
        var url = engine == StoreEngine.Postgres ? await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token()) : null;
        var directory = Path.Combine(Path.GetTempPath(), "berth-messaging-tests", Guid.NewGuid().ToString("N"));
        var database = new EmbeddedDatabase(engine, directory, url, time ?? TimeProvider.System);
        IStoreInitializer initializer = database.Connections switch
        {
            SqliteDatabase sqlite => new SqliteStoreInitializer(sqlite, database.Time, NullLogger<SqliteStoreInitializer>.Instance),
            PostgresDatabase postgres => new PostgresStoreInitializer(postgres, database.Time, NullLogger<PostgresStoreInitializer>.Instance),
            _ => throw new InvalidOperationException($"no initializer for {database.Connections.GetType().Name}"),
        };
        await initializer.InitializeAsync(TestTimeouts.Token());
        return database;
    }

    public EmbeddedMessageBroker OpenBroker() => OpenBroker(Connections);

    /// <summary>
    /// A broker on the same store through a new connection factory, as a restarted server has; the old broker is left as a
    /// crash leaves it (not disposed, its connections still open) until the database is disposed.
    /// </summary>
    public EmbeddedMessageBroker Reopen()
    {
        Connections = Open();
        return OpenBroker();
    }

    /// <summary>A broker of another server sharing the store: its own connection factory, running beside the others.</summary>
    public EmbeddedMessageBroker OpenServer() => OpenBroker(Open());

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestTimeouts.Token()), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var broker in _brokers)
        {
            await broker.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Quick);
        }

        foreach (var signals in _signals)
        {
            await signals.DisposeAsync();
        }

        foreach (var opened in _opened.OfType<PostgresDatabase>())
        {
            await opened.DisposeAsync();
        }

        if (_postgresUrl is not null)
        {
            await ScratchPostgres.DropDatabaseAsync(_postgresUrl, TestTimeouts.Token());
        }

        // Pooled connections keep the file, -wal and -shm open; drop them before deleting the directory.
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private EmbeddedMessageBroker OpenBroker(StoreDatabase connections)
    {
        StoreSignals signals = connections is PostgresDatabase postgres
            ? new PostgresStoreSignals(postgres, Time, NullLogger<PostgresStoreSignals>.Instance)
            : new InProcessStoreSignals();
        _signals.Add(signals);
        var broker = new EmbeddedMessageBroker(connections, signals, Time, NullLogger<EmbeddedMessageBroker>.Instance);
        _brokers.Add(broker);
        return broker;
    }

    private StoreDatabase Open()
    {
        StoreDatabase opened = Engine == StoreEngine.Postgres
            ? new PostgresDatabase(PostgresLocation.Parse(_postgresUrl!))
            : new SqliteDatabase(FilePath);
        _opened.Add(opened);
        return opened;
    }
}
