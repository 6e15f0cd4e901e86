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
        await using var target = await OpenAsync(dataDirectory, store, cancellationToken);
        var restored = await StoreTransfer.RestoreAsync(file, target.Database, cancellationToken);
        return await VerifiedAsync(target.Database, restored, cancellationToken);
    }

    /// <summary>
    /// Moves the SQLite store of <paramref name="dataDirectory"/> (its server stopped) to the empty PostgreSQL database at
    /// <paramref name="postgresUrl"/>: a backup of it, restored there, checked table by table against the backup.
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

        var scratch = Path.Combine(dataDirectory, $".migrate-{Guid.NewGuid():N}");
        Berth.Core.Security.OwnerOnly.CreateDirectory(scratch);
        try
        {
            var backup = Path.Combine(scratch, "backup.db");
            IReadOnlyList<TableSummary> taken;
            await using (var source = await OpenAsync(dataDirectory, null, cancellationToken))
            {
                taken = await StoreTransfer.BackupAsync(source.Database, backup, cancellationToken);
            }

            await using var target = await OpenAsync(dataDirectory, postgresUrl, cancellationToken);
            await StoreTransfer.RestoreAsync(backup, target.Database, cancellationToken);
            return await VerifiedAsync(target.Database, taken, cancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    // What the target holds, read back on its own engine, must be what was copied into it.
    private static async Task<IReadOnlyList<TableSummary>> VerifiedAsync(StoreDatabase target, IReadOnlyList<TableSummary> copied, CancellationToken cancellationToken)
    {
        var held = await StoreTransfer.SummarizeAsync(target, cancellationToken);
        var differing = held.Zip(copied).Where(pair => pair.First != pair.Second).Select(pair => pair.First.Table).ToList();
        if (held.Count != copied.Count || differing.Count > 0)
        {
            throw new InvalidOperationException($"the store {target.Describe()} does not hold what was copied into it (tables {string.Join(", ", differing)})");
        }

        return held;
    }

    private static async Task<OpenedStore> OpenAsync(string dataDirectory, string? store, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            var sqlite = new SqliteDatabase(Path.Combine(dataDirectory, "berth.db"));
            await new SqliteStoreInitializer(sqlite, TimeProvider.System, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(cancellationToken);
            return new OpenedStore(sqlite, null);
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

    private sealed record OpenedStore(StoreDatabase Database, IAsyncDisposable? Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
