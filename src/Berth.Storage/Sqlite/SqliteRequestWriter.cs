using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Writes batches of request records to SQLite on one connection kept open, with its two statements prepared once: the proxy's
/// journal commits a batch per group of concurrent requests, and opening a pooled connection (with its pragmas) and
/// preparing a 26-column upsert for every batch cost about as much as the rows themselves. Batches are serialized (the
/// journal has a single writer anyway). After any failure the connection is closed and the next batch opens a new one,
/// so a connection never carries a broken transaction or statement into the next batch.
/// </summary>
internal sealed class SqliteRequestWriter(SqliteDatabase connections, IPayloadProtector? protector = null) : IRequestWriter, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private RequestSaveStatement? _statement;

    public async Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(requests, cancellationToken);
        }
        catch (Exception ex)
        {
            await CloseAsync();
            if (connections.AsFull(ex) is { } full)
            {
                throw full;
            }

            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async Task WriteAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = await connections.OpenSqliteAsync(cancellationToken);
            _statement = new RequestSaveStatement(_connection, protector);
        }

        // No using: disposing a transaction SQLite already rolled back (SQLITE_FULL) throws, and would hide the real error;
        // closing the connection after a failure ends the transaction either way.
        var transaction = _connection.BeginTransaction(deferred: false);
        _statement!.Use(transaction);
        foreach (var request in requests)
        {
            int written;
            try
            {
                written = await _statement.ExecuteAsync(request, cancellationToken);
            }
            catch (SqliteException ex) when (connections.IsUniqueViolation(ex))
            {
                // The id is the upsert's conflict target, so the key's index is the only one a save can violate.
                throw RequestSave.KeyTaken(request, ex);
            }

            if (written == 0)
            {
                throw RequestSave.NotStored(request, nameof(requests));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        _statement.Use(null);
        await transaction.DisposeAsync();
    }

    // Disposing the connection rolls back whatever transaction it still has open.
    private async Task CloseAsync()
    {
        _statement?.Dispose();
        _statement = null;
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync();
            }
            catch (SqliteException)
            {
                // A rollback SQLite already did; the first error is the one worth reporting.
            }
        }
    }
}
