using Berth.Core.Storage;
using Berth.Storage.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Store signals on PostgreSQL: a signal is a <c>NOTIFY</c>, and one dedicated connection per server <c>LISTEN</c>s on every
/// channel of <see cref="StoreChannels"/>, opened by the first listener. A lost connection is opened again after a pause;
/// signals sent in between are not heard, and listeners find what they announced when they next look on their own.
/// </summary>
internal sealed partial class PostgresStoreSignals(PostgresDatabase database, TimeProvider time, ILogger<PostgresStoreSignals> logger) : StoreSignals
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _start = new();
    private Task? _loop;
    private int _disposed;

    /// <summary>The statement that sends a signal, to run inside a transaction when the signal must go only if it commits.</summary>
    public const string Notify = "SELECT pg_notify(@Channel, @Payload)";

    public override async Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        CheckPayload(channel, payload);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Notify, (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("Channel", channel);
        command.Parameters.AddWithValue("Payload", payload);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<IDisposable> ListenAsync(string channel, Action<string> heard, CancellationToken cancellationToken)
    {
        var registration = await base.ListenAsync(channel, heard, cancellationToken);
        lock (_start)
        {
            _loop ??= Task.Run(() => ListenLoopAsync(_stop.Token), CancellationToken.None);
        }

        await _listening.Task.WaitAsync(cancellationToken);
        return registration;
    }

    // The container and the broker may both dispose it; the second call has nothing left to do.
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        await base.DisposeAsync();
    }

    private async Task ListenLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync(stop);
                connection.Notification += (_, e) => Hear(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand(string.Concat(StoreChannels.All.Select(c => $"LISTEN {c};")), connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(ex, database.Describe(), Reconnect.TotalSeconds);
                try
                {
                    await Task.Delay(Reconnect, time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for the signals of other servers on {Database} failed; trying again in {Seconds}s, waiters look on their own meanwhile")]
    private partial void LogListenFailed(Exception exception, string database, double seconds);
}
