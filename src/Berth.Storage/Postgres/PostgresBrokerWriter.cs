using Berth.Storage.Sql;

namespace Berth.Storage.Postgres;

/// <summary>
/// The embedded broker's writer on PostgreSQL: each piece of work in a transaction of its own, without SQLite's group commit.
/// PostgreSQL commits concurrent transactions side by side (and flushes their WAL together), so one queue in front of one
/// connection would only serialize what can run in parallel; and a batch that conflicted with another server's work would
/// run every one of its pieces again, where a single piece runs only itself again.
/// <para>
/// Writes run <c>SERIALIZABLE</c> and again from the start on a conflict (<see cref="StoreDatabase.WriteAsync{T}"/>): a publish
/// checks its dedupe id, a nack the lease it gives back, a sweep the leases it ends, and another server may change each of
/// those between the read and the write. Receives run <c>READ COMMITTED</c> and lock the rows they pick, skipping rows locked
/// by another receive (<see cref="StoreDatabase.ClaimAsync{T}"/>): under <c>SERIALIZABLE</c> two servers receiving from one
/// subscription pick the same oldest rows, and all but one would fail and run again on nearly every receive. Taking the row
/// lock re-checks the row's newest version, so a row another server leased and committed meanwhile is no longer due and is
/// left out. Mixing the levels stays correct: a serializable write that meets a row a receive changed after its snapshot
/// fails as a conflict and runs again, and a receive skips a row a write still holds.
/// </para>
/// </summary>
internal sealed class PostgresBrokerWriter(PostgresDatabase database, TimeProvider time) : IBrokerWriter
{
    private volatile bool _disposed;

    public Task<T> WriteAsync<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfDisposed();
        return database.WriteAsync((connection, transaction) => work(new BrokerTransaction(connection, transaction, time.GetUtcNow())), cancellationToken);
    }

    public Task<T> ClaimAsync<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfDisposed();
        return database.ClaimAsync((connection, transaction) => work(new BrokerTransaction(connection, transaction, time.GetUtcNow())), cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(EmbeddedMessageBroker), "the embedded broker is stopping; nothing was written");
        }
    }
}
