using Berth.Core.Specs;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Berth.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.Tests;

/// <summary>The engines the store runs on; a contract test class runs once per engine.</summary>
public enum StoreEngine
{
    /// <summary>A SQLite file in a temp directory.</summary>
    Sqlite,

    /// <summary>A fresh database on the scratch PostgreSQL server (<see cref="ScratchPostgres"/>).</summary>
    Postgres,
}

/// <summary>
/// A real database of one engine, with the agent, instance and event stores over it; deleted on dispose. SQLite is a file in its
/// own temp directory; PostgreSQL a database of its own on the scratch server.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresUrl;
    private readonly List<StoreDatabase> _servers = [];

    private TestDatabase(StoreEngine engine, string directory, string? postgresUrl)
    {
        Engine = engine;
        Directory = directory;
        FilePath = Path.Combine(directory, "data", "berth.db");
        _postgresUrl = postgresUrl;
        Database = Open();
        Agents = new SqlAgentStore(Database, Clock);
        Instances = new SqlInstanceStore(Database);
        Events = new SqlEventStore(Database);
    }

    public StoreEngine Engine { get; }

    public string Directory { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string FilePath { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public StoreDatabase Database { get; private set; }

    /// <summary>The database as SQLite, for tests of what only the embedded engine does.</summary>
    public SqliteDatabase Sqlite => Database as SqliteDatabase ?? throw new InvalidOperationException("This test database is not SQLite.");

    public SqlAgentStore Agents { get; private set; }

    public SqlInstanceStore Instances { get; private set; }

    public SqlEventStore Events { get; private set; }

    /// <summary>A SQLite database whose file does not exist yet (not initialized).</summary>
    public static TestDatabase CreateEmpty() => new(StoreEngine.Sqlite, NewDirectory(), null);

    /// <summary>An initialized database of <paramref name="engine"/>, ready for the stores.</summary>
    public static async Task<TestDatabase> CreateAsync(StoreEngine engine = StoreEngine.Sqlite)
    {
        var url = engine == StoreEngine.Postgres ? await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token()) : null;
        var database = new TestDatabase(engine, NewDirectory(), url);
        await database.CreateInitializer().InitializeAsync(TestTimeouts.Token());
        return database;
    }

    public static string NewName() => $"t{Guid.NewGuid():N}"[..12];

    public static AgentSpec Spec(string name, string image = "local/echo:1") => new() { Name = name, Image = image };

    public IStoreInitializer CreateInitializer() => Database switch
    {
        SqliteDatabase sqlite => new SqliteStoreInitializer(sqlite, Clock, NullLogger<SqliteStoreInitializer>.Instance),
        PostgresDatabase postgres => new PostgresStoreInitializer(postgres, Clock, NullLogger<PostgresStoreInitializer>.Instance),
        _ => throw new InvalidOperationException($"no initializer for {Database.GetType().Name}"),
    };

    /// <summary>
    /// The same database as another Berth server sharing it sees it: a pool of its own (PostgreSQL) or connections of its own
    /// to the file (SQLite). Closed on dispose.
    /// </summary>
    public StoreDatabase OpenServer()
    {
        var server = Open();
        _servers.Add(server);
        return server;
    }

    /// <summary>Drops every pooled connection and opens the same database through new stores, as a restarted server would.</summary>
    public void Reopen()
    {
        SqliteConnection.ClearAllPools();
        Database = Open();
        Agents = new SqlAgentStore(Database, Clock);
        Instances = new SqlInstanceStore(Database);
        Events = new SqlEventStore(Database);
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestTimeouts.Token()), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestTimeouts.Token());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.OfType<PostgresDatabase>())
        {
            await server.DisposeAsync();
        }

        if (Database is PostgresDatabase postgres)
        {
            await postgres.DisposeAsync();
            await ScratchPostgres.DropDatabaseAsync(_postgresUrl!, TestTimeouts.Token());
        }

        // Pooled connections keep the file, -wal and -shm open; drop them before deleting the directory.
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "berth-storage-tests", Guid.NewGuid().ToString("N"));

    private StoreDatabase Open() => Engine == StoreEngine.Postgres
        ? new PostgresDatabase(PostgresLocation.Parse(_postgresUrl!))
        : new SqliteDatabase(FilePath);
}
