using System.Data.Common;
using Berth.Core.Storage;
using Berth.Storage.Migrations;

namespace Berth.Storage.Sql;

/// <summary>
/// The database the stores keep Berth's state in: one SQLite file (the embedded default) or a PostgreSQL server. The stores'
/// SQL is written once for both; what differs between the engines (how a write transaction keeps out other writers, which
/// errors mean a duplicate key or a full disk, the few statements whose syntax differs) lives here.
/// </summary>
internal abstract class StoreDatabase : IMigrationTarget
{
    /// <summary>The SQL that differs between the engines.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>The database for messages and logs, never with a password (<c>sqlite:/var/lib/berth/berth.db</c>).</summary>
    public abstract string Describe();

    /// <summary>An open connection from the engine's pool; the caller disposes it.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction that no other writer interleaves with, and commits it: reads inside it
    /// see what the writes will be checked against. SQLite takes the write lock at the start (<c>BEGIN IMMEDIATE</c>);
    /// PostgreSQL runs it <c>SERIALIZABLE</c> and runs <paramref name="work"/> again from the start when another server's
    /// transaction conflicted with it, so <paramref name="work"/> must decide everything from what it reads.
    /// </summary>
    /// <exception cref="StorageFullException">The disk holding the database is full; nothing of the work was kept.</exception>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a claim of queue rows (runs, requests, deliveries) in one transaction and commits it: an <c>UPDATE … WHERE key IN
    /// (SELECT … LIMIT n {Dialect.LockSkippingLocked})</c>. SQLite takes the write lock at the start, as for any write;
    /// PostgreSQL runs it <c>READ COMMITTED</c>, where the sub-select skips the rows another server's claim has locked, so
    /// servers claiming at once take different rows without waiting on or failing each other.
    /// </summary>
    public virtual Task<T> ClaimAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction whose writers take turns on row locks that <paramref name="work"/> takes
    /// first (<see cref="SqlDialect.LockRows"/>), and commits it: for writes that many callers make to the same few rows at once
    /// (events appended to one run's stream), which would mostly fail and run again under <see cref="WriteAsync{T}"/>'s conflict
    /// detection. SQLite takes the write lock at the start, as for any write; PostgreSQL runs it <c>READ COMMITTED</c>, where
    /// each statement sees what was committed before it, so what <paramref name="work"/> reads after its locks is what the
    /// previous holder committed. <paramref name="work"/> is run again only after a deadlock.
    /// </summary>
    /// <exception cref="StorageFullException">The disk holding the database is full; nothing of the work was kept.</exception>
    public virtual Task<T> LockingWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(work, cancellationToken);

    /// <summary>Whether <paramref name="exception"/> is a unique or primary key violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Whether <paramref name="exception"/> is a foreign key violation (a row naming one that is not stored).</summary>
    public abstract bool IsForeignKeyViolation(Exception exception);

    /// <summary>A <see cref="StorageFullException"/> when <paramref name="exception"/> says the disk is full; otherwise null.</summary>
    public abstract StorageFullException? AsFull(Exception exception);

    /// <summary>Runs <paramref name="work"/> as <see cref="WriteAsync{T}"/> does, for work without a result.</summary>
    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken);

    async Task<DbConnection> IMigrationTarget.OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    Task<DbTransaction> IMigrationTarget.BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginMigrationAsync(connection, cancellationToken);

    /// <summary>A transaction that no other Berth starting at the same time can migrate in.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);
}
