using System.Threading.Channels;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Group commit for the embedded broker: one loop takes every piece of work queued so far (publishes, receives, acks…) and
/// runs them in one <c>BEGIN IMMEDIATE</c> transaction on a connection it keeps open, so a burst of concurrent callers pays
/// one commit and never contends for SQLite's write lock inside this process. Work runs in queue order and its caller is
/// answered only once the transaction has committed. When a piece of work throws, the batch is rolled back and each piece
/// runs again alone, so the failure reaches only its own caller; work must therefore write nothing outside the transaction.
/// A failure of the transaction itself (a full disk, another process holding the lock past the busy timeout) fails every
/// caller of the batch, and the next batch opens a new connection. Work whose caller has given up before it started is
/// skipped.
/// </summary>
internal sealed class SqliteBrokerWriter : IBrokerWriter
{
    private const int MaxBatch = 256;
    private const int SqliteFull = 13;

    private readonly SqliteDatabase _connections;
    private readonly TimeProvider _time;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private SqliteConnection? _connection;

    public SqliteBrokerWriter(SqliteDatabase connections, TimeProvider time)
    {
        _connections = connections;
        _time = time;
        _loop = Task.Run(RunAsync);
    }

    private interface IWork
    {
        CancellationToken CancellationToken { get; }

        Task RunAsync(BrokerTransaction transaction);

        /// <summary>Remembers why the work failed; its caller learns it once the batch has committed.</summary>
        void Failed(Exception exception);

        /// <summary>Answers the caller: the result, or the failure remembered.</summary>
        void Complete();

        void Abort(Exception exception);
    }

    /// <summary>Runs <paramref name="work"/> in the next batch and returns its result once that batch has committed.</summary>
    public Task<T> WriteAsync<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var pending = new Work<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(EmbeddedMessageBroker), "the embedded broker is stopping; nothing was written");
        }

        return cancellationToken.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellationToken) : pending.Completion.Task;
    }

    /// <summary>As <see cref="WriteAsync{T}"/>: the batch holds SQLite's only write lock, so a receive needs no row locks.</summary>
    public Task<T> ClaimAsync<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken) => WriteAsync(work, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<IWork>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                if (next.CancellationToken.IsCancellationRequested)
                {
                    next.Abort(new OperationCanceledException(next.CancellationToken));
                }
                else
                {
                    batch.Add(next);
                }
            }

            await CommitAsync(batch);
            batch.Clear();
        }

        await CloseAsync();
    }

    private async Task CommitAsync(List<IWork> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        IWork? failed = null;
        Exception? failure = null;
        try
        {
            _connection ??= await _connections.OpenSqliteAsync(CancellationToken.None);

            // No using: disposing a transaction SQLite already rolled back (SQLITE_FULL) throws and would hide the real error;
            // closing the connection after a failure ends the transaction either way.
            var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var work in batch)
            {
                try
                {
                    await work.RunAsync(new BrokerTransaction(_connection, transaction, _time.GetUtcNow()));
                }
                catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: SqliteFull })
                {
                    (failed, failure) = (work, ex);
                    break;
                }
            }

            if (failed is null)
            {
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
            }
            else
            {
                await AbandonAsync(transaction);
            }
        }
        catch (Exception ex)
        {
            await CloseAsync();
            var error = _connections.AsFull(ex) ?? ex;
            batch.ForEach(work => work.Abort(error));
            return;
        }

        if (failed is null)
        {
            batch.ForEach(work => work.Complete());
        }
        else if (batch.Count == 1)
        {
            failed.Failed(failure!);
            failed.Complete();
        }
        else
        {
            // Nothing of the batch was written: each piece runs again in a transaction of its own, so only the one that
            // fails fails (a savepoint per piece would spare this, but makes every write of every batch several times dearer).
            foreach (var work in batch)
            {
                await CommitAsync([work]);
            }
        }
    }

    /// <summary>Rolls back; when SQLite has already done so (an I/O error in a piece of work), drops the connection instead.</summary>
    private async Task AbandonAsync(SqliteTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
        }
        catch (SqliteException)
        {
            await CloseAsync();
        }
    }

    private async Task CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private sealed class Work<T>(Func<BrokerTransaction, Task<T>> work, CancellationToken cancellationToken) : IWork
    {
        private T? _result;
        private Exception? _failure;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken CancellationToken => cancellationToken;

        public async Task RunAsync(BrokerTransaction transaction) => _result = await work(transaction);

        public void Failed(Exception exception) => _failure = exception;

        public void Complete()
        {
            if (_failure is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_failure);
            }
        }

        public void Abort(Exception exception)
        {
            if (exception is OperationCanceledException canceled)
            {
                Completion.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                Completion.TrySetException(exception);
            }
        }
    }
}
