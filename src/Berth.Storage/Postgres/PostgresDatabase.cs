using System.Data;
using System.Data.Common;
using Berth.Core.Storage;
using Berth.Storage.Sql;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// A PostgreSQL database through one pooled <see cref="NpgsqlDataSource"/>. Several Berth servers may share it: a write that
/// reads what it checks runs <c>SERIALIZABLE</c> and is run again when another server's transaction conflicted with it.
/// </summary>
internal sealed class PostgresDatabase : StoreDatabase, IAsyncDisposable
{
    // SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html
    private const string SerializationFailure = "40001";
    private const string DeadlockDetected = "40P01";
    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";
    private const string DiskFull = "53100";

    /// <summary>How often a conflicting write is run again before its conflict reaches the caller.</summary>
    private const int Attempts = 20;

    // One key for "Berth is migrating this database" (pg_advisory_xact_lock takes a bigint; this is "berth" in ASCII).
    private const long MigrationLockKey = 0x6265727468;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(PostgresLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
        _dataSource = NpgsqlDataSource.Create(location.ConnectionString);
    }

    public PostgresLocation Location { get; }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override string Describe() => Location.Describe();

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.Serializable, work, cancellationToken);

    // READ COMMITTED never fails with a serialization failure; a deadlock between lockers is still run again.
    public override Task<T> LockingWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.ReadCommitted, work, cancellationToken);

    // Claims skip the rows another claim holds, so READ COMMITTED never waits on them; a deadlock is still run again.
    public override Task<T> ClaimAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.ReadCommitted, work, cancellationToken);

    public override bool IsUniqueViolation(Exception exception) => exception is PostgresException { SqlState: UniqueViolation };

    public override bool IsForeignKeyViolation(Exception exception) => exception is PostgresException { SqlState: ForeignKeyViolation };

    public override StorageFullException? AsFull(Exception exception) =>
        exception is PostgresException { SqlState: DiskFull } full
            ? new StorageFullException($"the disk of the PostgreSQL server at {Location.Describe()} is full ({full.MessageText})", full)
            : null;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@Key)", (NpgsqlConnection)connection, transaction);
        command.Parameters.AddWithValue("Key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    private async Task<T> RunAsync<T>(IsolationLevel isolation, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (ex.SqlState is SerializationFailure or DeadlockDetected && attempt < Attempts)
            {
                // Another server's transaction won; back off a little (more each time, with jitter) and decide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken);
            }
            catch (Exception ex) when (AsFull(ex) is { } full)
            {
                throw full;
            }
        }
    }
}
