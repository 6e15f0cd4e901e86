using System.Data;
using System.Data.Common;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Berth.Storage.Transfer;

/// <summary>
/// Backups, restores and migrations, all one copy between stores: every table read as one consistent snapshot of the source
/// (SQLite's snapshot in WAL mode, PostgreSQL's repeatable read, while servers go on writing) and written in one transaction
/// into a target that holds no data yet, parents before children. A backup's target is a new SQLite file of the current
/// schema; a restore's source is such a file (perhaps of an older version); a migration copies one store into another. Each
/// returns the row count and checksum of every table, which <see cref="SummarizeAsync"/> computes the same way on either
/// engine; a restore and a migration read the target back and fail unless it sums as what was copied.
/// </summary>
internal static class StoreTransfer
{
    private static readonly Lazy<Task<StoreSchema>> CurrentSchema = new(() => ReadCurrentSchemaAsync(CancellationToken.None));

    public static async Task<IReadOnlyList<TableSummary>> BackupAsync(StoreDatabase source, string file, CancellationToken cancellationToken)
    {
        if (File.Exists(file))
        {
            throw new IOException($"{file} already exists; a backup never overwrites a file: name a new one");
        }

        var backup = new SqliteDatabase(file);
        await InitializeAsync(backup, cancellationToken);
        try
        {
            var (_, tables) = await CopyAsync(source, backup, cancellationToken);

            // One self-contained file: what the write-ahead log holds goes into it, and the log goes.
            await using var connection = await backup.OpenSqliteAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = DELETE", cancellationToken: cancellationToken));
            return tables;
        }
        finally
        {
            backup.ReleaseConnections();
        }
    }

    /// <summary>Copies the backup <paramref name="file"/> into <paramref name="target"/>, whose schema is current and which holds no data yet.</summary>
    public static async Task<IReadOnlyList<TableSummary>> RestoreAsync(string file, StoreDatabase target, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} does not exist; name a file 'berth backup' wrote", file);
        }

        var backup = new SqliteDatabase(file);
        try
        {
            return await CopyVerifiedAsync(backup, target, cancellationToken);
        }
        finally
        {
            backup.ReleaseConnections();
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>, whose schema is current and which holds no data yet.</summary>
    public static Task<IReadOnlyList<TableSummary>> MigrateAsync(StoreDatabase source, StoreDatabase target, CancellationToken cancellationToken) =>
        CopyVerifiedAsync(source, target, cancellationToken);

    /// <summary>The row count and checksum of every table of <paramref name="database"/>, read as one snapshot.</summary>
    public static async Task<IReadOnlyList<TableSummary>> SummarizeAsync(StoreDatabase database, CancellationToken cancellationToken) =>
        await SummarizeAsync(database, await CurrentSchema.Value.WaitAsync(cancellationToken), cancellationToken);

    // What the target holds, read back on its own engine, must be what was copied into it.
    private static async Task<IReadOnlyList<TableSummary>> CopyVerifiedAsync(StoreDatabase source, StoreDatabase target, CancellationToken cancellationToken)
    {
        var (schema, copied) = await CopyAsync(source, target, cancellationToken);
        var held = await SummarizeAsync(target, schema, cancellationToken);
        var differing = held.Zip(copied).Where(pair => pair.First != pair.Second).Select(pair => pair.First.Table).ToList();
        if (differing.Count > 0)
        {
            throw new InvalidOperationException($"the store {target.Describe()} does not hold what was copied into it (tables {string.Join(", ", differing)})");
        }

        return held;
    }

    private static async Task<(StoreSchema Schema, IReadOnlyList<TableSummary> Tables)> CopyAsync(
        StoreDatabase source, StoreDatabase target, CancellationToken cancellationToken)
    {
        var schema = await CurrentSchema.Value.WaitAsync(cancellationToken);
        await using var reader = await source.OpenAsync(cancellationToken);
        if (source is SqliteDatabase)
        {
            // A SQLite source may be a backup of an older version: copy what it has; a newer one is refused.
            schema = await schema.WithinAsync(reader, source.Describe(), cancellationToken);
        }

        await using var writer = await target.OpenAsync(cancellationToken);
        foreach (var table in schema.Tables)
        {
            if (await writer.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM (SELECT 1 FROM {table.Name} LIMIT 1) AS any_row", cancellationToken: cancellationToken)) > 0)
            {
                throw new InvalidOperationException(
                    $"the store {target.Describe()} already holds data (table {table.Name} is not empty); restore into a new store that no server has started on");
            }
        }

        await using var snapshot = await BeginSnapshotAsync(reader, cancellationToken);
        await using var write = await writer.BeginTransactionAsync(cancellationToken);
        var tables = new List<TableSummary>();
        foreach (var table in schema.Tables)
        {
            tables.Add(await CopyTableAsync(table, reader, snapshot, writer, write, cancellationToken));
        }

        if (target is PostgresDatabase)
        {
            await ContinueIdentitiesAsync(writer, write, cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return (schema, tables);
    }

    private static async Task<IReadOnlyList<TableSummary>> SummarizeAsync(StoreDatabase database, StoreSchema schema, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await BeginSnapshotAsync(connection, cancellationToken);
        var summaries = new List<TableSummary>();
        foreach (var table in schema.Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = table.Select;
            command.Transaction = snapshot;
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            using var hasher = new RowHasher();
            while (await rows.ReadAsync(cancellationToken))
            {
                hasher.Add(rows);
            }

            summaries.Add(new TableSummary(table.Name, hasher.Rows, hasher.Finish()));
        }

        return summaries;
    }

    private static async Task<TableSummary> CopyTableAsync(
        StoreTable table, DbConnection from, DbTransaction reading, DbConnection to, DbTransaction writing, CancellationToken cancellationToken)
    {
        await using var select = from.CreateCommand();
        select.CommandText = table.Select;
        select.Transaction = reading;
        await using var insert = to.CreateCommand();
        insert.CommandText = table.Insert;
        insert.Transaction = writing;
        var parameters = table.Columns.Select((_, i) =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = $"p{i}";
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToList();

        await using var rows = await select.ExecuteReaderAsync(cancellationToken);
        using var hasher = new RowHasher();
        while (await rows.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                parameters[i].Value = rows.IsDBNull(i) ? DBNull.Value : rows.GetValue(i);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
            hasher.Add(rows);
        }

        return new TableSummary(table.Name, hasher.Rows, hasher.Finish());
    }

    private static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is NpgsqlConnection postgres)
        {
            var transaction = await postgres.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", postgres, transaction);
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }

        // Deferred: SQLite takes its read snapshot at the first read and keeps it until the end, whatever is written meanwhile.
        return ((SqliteConnection)connection).BeginTransaction(deferred: true);
    }

    // Rows came with their ids; the identity columns must hand out numbers after them.
    private static async Task ContinueIdentitiesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var identities = await connection.QueryAsync<(string Table, string Column)>(new CommandDefinition(
            "SELECT table_name, column_name FROM information_schema.columns WHERE is_identity = 'YES' AND table_schema = current_schema()",
            transaction: transaction, cancellationToken: cancellationToken));
        foreach (var (table, column) in identities)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)",
                transaction: transaction, cancellationToken: cancellationToken));
        }
    }

    private static Task InitializeAsync(SqliteDatabase database, CancellationToken cancellationToken) =>
        new SqliteStoreInitializer(database, TimeProvider.System, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(cancellationToken);

    // The schema of this version, from a scratch SQLite file its migrations build: the same tables and columns on both engines.
    private static async Task<StoreSchema> ReadCurrentSchemaAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("berth-schema-");
        try
        {
            var database = new SqliteDatabase(Path.Combine(directory.FullName, "schema.db"));
            await InitializeAsync(database, cancellationToken);
            StoreSchema schema;
            await using (var connection = await database.OpenSqliteAsync(cancellationToken))
            {
                schema = await StoreSchema.ReadAsync(connection, cancellationToken);
            }

            database.ReleaseConnections();
            return schema;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
