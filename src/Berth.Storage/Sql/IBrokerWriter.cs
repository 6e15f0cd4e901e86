namespace Berth.Storage.Sql;

/// <summary>
/// Runs the embedded broker's work in transactions of the store's engine. Work writes nothing outside its transaction and
/// decides everything from what it reads there, because it may run more than once: SQLite's group commit runs a batch again
/// piece by piece after one piece failed, and PostgreSQL runs a write again when another server's transaction conflicted.
/// </summary>
internal interface IBrokerWriter : IAsyncDisposable
{
    /// <summary>Runs work that reads what it checks and then writes (a publish, an ack, a nack, a sweep); returns once committed.</summary>
    Task<T> WriteAsync<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a receive, which picks the rows it leases with <see cref="SqlDialect.LockRowsOf"/> skipping rows another receive
    /// holds; returns once committed.
    /// </summary>
    Task<T> ClaimAsync<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken);
}
