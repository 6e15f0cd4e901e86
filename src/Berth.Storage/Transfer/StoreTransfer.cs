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
/// Backups, restores and migrations between stores. A backup is a SQLite file of the current schema holding every table of
/// the store as one consistent snapshot (read in one transaction: SQLite's snapshot in WAL mode, PostgreSQL's repeatable
/// read), taken while servers go on writing. A restore copies a backup into a store nothing has written to yet, in one
/// transaction, parents before children; moving an embedded install to PostgreSQL is a backup restored there. Each returns
/// the row count and checksum of every table, which <see cref="SummarizeAsync"/> computes the same way on either engine.
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

        var target = new SqliteDatabase(file);
        await new SqliteStoreInitializer(target, TimeProvider.System, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(cancellationToken);
        await using var writer = await target.OpenSqliteAsync(cancellationToken);
        var schema = await StoreSchema.ReadAsync(writer, cancellationToken);
        await using var reader = await source.OpenAsync(cancellationToken);
        await using var snapshot = await BeginSnapshotAsync(reader, cancellationToken);
        await using var write = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
        var summaries = new List<TableSummary>();
        foreach (var table in schema.Tables)
        {
            summaries.Add(await CopyAsync(table, reader, snapshot, writer, write, cancellationToken));
        }

        await write.CommitAsync(cancellationToken);

        // One self-contained file: what the write-ahead log holds goes into it, and the log goes.
        await writer.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = DELETE", cancellationToken: cancellationToken));
        SqliteConnection.ClearPool(writer);
        return summaries;
    }

    /// <summary>Copies the backup <paramref name="file"/> into <paramref name="target"/>, whose schema is current and which holds no rows yet.</summary>
    public static async Task<IReadOnlyList<TableSummary>> RestoreAsync(string file, StoreDatabase target, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} does not exist; name a file 'berth backup' wrote", file);
        }

        await using var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await backup.OpenAsync(cancellationToken);
        var schema = await StoreSchema.ReadAsync(backup, cancellationToken);
        await using var writer = await target.OpenAsync(cancellationToken);
        foreach (var table in schema.Tables)
        {
            if (await writer.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table.Name}", cancellationToken: cancellationToken)) > 0)
            {
                throw new InvalidOperationException(
                    $"the store {target.Describe()} already holds data (table {table.Name} is not empty); restore into a new store that no server has started on");
            }
        }

        await using var read = await backup.BeginTransactionAsync(cancellationToken);
        await using var write = await writer.BeginTransactionAsync(cancellationToken);
        var summaries = new List<TableSummary>();
        foreach (var table in schema.Tables)
        {
            summaries.Add(await CopyAsync(table, backup, read, writer, write, cancellationToken));
        }

        if (target is PostgresDatabase)
        {
            await ContinueIdentitiesAsync(writer, write, cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return summaries;
    }

    /// <summary>The row count and checksum of every table of <paramref name="database"/>, read as one snapshot.</summary>
    public static async Task<IReadOnlyList<TableSummary>> SummarizeAsync(StoreDatabase database, CancellationToken cancellationToken)
    {
        var schema = await CurrentSchema.Value.WaitAsync(cancellationToken);
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

    private static async Task<TableSummary> CopyAsync(
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

    // The schema of this version, from a scratch SQLite file its migrations build: the same tables and columns on both engines.
    private static async Task<StoreSchema> ReadCurrentSchemaAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("berth-schema-");
        try
        {
            var database = new SqliteDatabase(Path.Combine(directory.FullName, "schema.db"));
            await new SqliteStoreInitializer(database, TimeProvider.System, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(cancellationToken);
            await using var connection = await database.OpenSqliteAsync(cancellationToken);
            var schema = await StoreSchema.ReadAsync(connection, cancellationToken);
            SqliteConnection.ClearPool(connection);
            return schema;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
