using Berth.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Runs writes in one <c>BEGIN IMMEDIATE</c> transaction and reports a full disk as a <see cref="StorageFullException"/>.
/// On SQLITE_FULL SQLite has already rolled the transaction back, so the rollback on the way out fails with "cannot rollback
/// - no transaction is active"; left alone, that second error would replace the real one.
/// </summary>
internal static class SqliteWrites
{
    private const int SqliteFull = 13;

    public static async Task<T> InTransactionAsync<T>(
        SqliteConnectionFactory connections, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        SqliteTransaction? transaction = null;
        try
        {
            transaction = SqliteConnectionFactory.BeginImmediate(connection);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteFull)
        {
            Abandon(transaction);
            throw Full(connections, ex);
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

    /// <summary>A <see cref="StorageFullException"/> for <paramref name="exception"/> when it is SQLITE_FULL; otherwise null.</summary>
    public static StorageFullException? AsFull(SqliteConnectionFactory connections, Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteFull } full ? Full(connections, full) : null;

    private static StorageFullException Full(SqliteConnectionFactory connections, SqliteException exception)
    {
        var directory = Path.GetDirectoryName(connections.DatabasePath);
        return new StorageFullException($"the disk holding {directory} is full ({exception.Message})", exception) { Directory = directory };
    }

    // Rolls back what is left of the transaction. When SQLite has already rolled it back (autocommit is on again), an empty
    // transaction is begun first, so the ROLLBACK that Microsoft.Data.Sqlite sends finds one: the transaction object is then
    // completed properly, and neither it nor the pooled connection tries again on dispose.
    private static void Abandon(SqliteTransaction? transaction)
    {
        if (transaction?.Connection is not { } connection)
        {
            return;
        }

        try
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0)
            {
                SQLitePCL.raw.sqlite3_exec(connection.Handle, "BEGIN");
            }

            transaction.Rollback();
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
