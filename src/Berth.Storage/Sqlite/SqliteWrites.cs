using Berth.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Runs writes in one <c>BEGIN IMMEDIATE</c> transaction and reports a full disk as a <see cref="StorageFullException"/>.
/// On SQLITE_FULL SQLite may have rolled the transaction back already; Microsoft.Data.Sqlite then completes the transaction
/// without a ROLLBACK of its own, so the connection goes back to the pool with no transaction open.
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
