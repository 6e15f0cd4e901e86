using System.Data.Common;
using Berth.Core.Storage;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// One SQLite file, opened with the settings every Berth connection needs. A connection per operation is cheap
/// (Microsoft.Data.Sqlite pools them) and keeps concurrent callers from sharing one connection.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    // foreign_keys is set through the connection string; these two are per connection and must be set on every open.
    // busy_timeout: wait up to 5 s for another writer instead of failing with SQLITE_BUSY.
    // synchronous=NORMAL: with WAL, durable across application crashes; a power loss may lose the last commits only.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

    private const int ConstraintViolation = 19;

    private const int SqliteFull = 13;

    private readonly string _connectionString;

    public SqliteDatabase(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Describe() => $"sqlite:{DatabasePath}";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenSqliteAsync(cancellationToken);

    /// <summary>Closes the pooled connections to the file, so it can be moved, sent whole or deleted.</summary>
    public void ReleaseConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>An open connection with Berth's pragmas set, typed for the SQLite-only code (the request writer's prepared batch).</summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs the work in one <c>BEGIN IMMEDIATE</c> transaction, which takes the write lock at the start, so read-compare-write
    /// sequences serialize. On SQLITE_FULL SQLite may have rolled the transaction back already; Microsoft.Data.Sqlite then
    /// completes it without a ROLLBACK of its own, so the connection goes back to the pool with no transaction open.
    /// </summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        SqliteTransaction? transaction = null;
        try
        {
            transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (AsFull(ex) is { } full)
        {
            Abandon(transaction);
            throw full;
        }
        catch
        {
            Abandon(transaction);
            throw;
        }
        finally
        {
            Dispose(transaction);
        }
    }

    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE; other constraint errors (a foreign key, NOT NULL) are not.
    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: ConstraintViolation, SqliteExtendedErrorCode: 1555 or 2067 };

    // SQLITE_CONSTRAINT_FOREIGNKEY
    public override bool IsForeignKeyViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: ConstraintViolation, SqliteExtendedErrorCode: 787 };

    public override StorageFullException? AsFull(Exception exception)
    {
        if (exception is not SqliteException { SqliteErrorCode: SqliteFull } full)
        {
            return null;
        }

        var directory = Path.GetDirectoryName(DatabasePath);
        return new StorageFullException($"the disk holding {directory} is full ({full.Message})", full) { Directory = directory };
    }

    protected override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    private static void Abandon(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Rollback();
        }
        catch (SqliteException)
        {
            // The first error is the one worth reporting.
        }
    }

    private static void Dispose(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Dispose();
        }
        catch (SqliteException)
        {
            // As in Abandon: a rollback SQLite already did.
        }
    }
}
