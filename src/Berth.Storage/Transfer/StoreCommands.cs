using Berth.Core.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Transfer;

/// <summary>
/// The offline store operations <c>berth restore</c> and <c>berth migrate</c> run (through <c>berth-server</c>, which can use
/// the stores): a backup restored into a new store, and an embedded install moved to PostgreSQL. Neither touches a store
/// that holds data; both return what the target holds, table by table, read back from it.
/// </summary>
public static class StoreCommands
{
    /// <summary>
    /// Restores the backup <paramref name="file"/> into <paramref name="store"/> (a PostgreSQL URL), or when null into the SQLite
    /// file of <paramref name="dataDirectory"/>; the target is created or migrated first and must hold no data.
    /// </summary>
    public static async Task<IReadOnlyList<TableSummary>> RestoreAsync(string file, string dataDirectory, string? store, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        using var held = store is null ? DataDirectoryLock.Acquire(dataDirectory, "stop it before restoring into its store") : null;
        await using var target = await OpenAsync(dataDirectory, store, cancellationToken);
        return await StoreTransfer.RestoreAsync(file, target.Database, cancellationToken);
    }

    /// <summary>
    /// Moves the SQLite store of <paramref name="dataDirectory"/> (its server stopped) to the empty PostgreSQL database at
    /// <paramref name="postgresUrl"/>, copied as one snapshot and checked table by table. The SQLite file is left as it was.
    /// </summary>
    public static async Task<IReadOnlyList<TableSummary>> MigrateAsync(string dataDirectory, string postgresUrl, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "berth.db");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"there is no embedded store to move: {path} does not exist (name the data directory with --data-dir)", path);
        }

        if (!PostgresLocation.IsPostgres(postgresUrl))
        {
            throw new ArgumentException("--to must be a PostgreSQL URL like postgres://USER:PASSWORD@HOST:5432/DATABASE");
        }

        using var held = DataDirectoryLock.Acquire(dataDirectory, "stop it before moving its store, so nothing is written after the copy");
        await using var source = await OpenAsync(dataDirectory, null, cancellationToken);
        await using var target = await OpenAsync(dataDirectory, postgresUrl, cancellationToken);
        return await StoreTransfer.MigrateAsync(source.Database, target.Database, cancellationToken);
    }

    private static async Task<OpenedStore> OpenAsync(string dataDirectory, string? store, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            var sqlite = new SqliteDatabase(Path.Combine(dataDirectory, "berth.db"));
            await new SqliteStoreInitializer(sqlite, TimeProvider.System, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(cancellationToken);
            return new OpenedStore(sqlite, new SqliteRelease(sqlite));
        }

        var postgres = new PostgresDatabase(PostgresLocation.Parse(store));
        try
        {
            await new PostgresStoreInitializer(postgres, TimeProvider.System, NullLogger<PostgresStoreInitializer>.Instance).InitializeAsync(cancellationToken);
            return new OpenedStore(postgres, postgres);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    private sealed record OpenedStore(StoreDatabase Database, IAsyncDisposable Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned.DisposeAsync();
    }

    private sealed record SqliteRelease(SqliteDatabase Database) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Database.ReleaseConnections();
            return ValueTask.CompletedTask;
        }
    }
}
