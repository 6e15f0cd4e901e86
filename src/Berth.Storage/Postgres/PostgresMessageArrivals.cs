using Berth.Storage.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Publishes announced to every server sharing the PostgreSQL database: a publish sends <c>NOTIFY</c> in its transaction
/// (PostgreSQL delivers it only if the transaction commits, once however often a conflict ran it), and a dedicated connection
/// here <c>LISTEN</c>s, started by the first subscriber. A lost connection is opened again after a pause; publishes in between
/// are not announced, and consumers find them at their next recheck.
/// </summary>
internal sealed partial class PostgresMessageArrivals(PostgresDatabase database, TimeProvider time, ILogger logger) : MessageArrivals
{
    /// <summary>The channel; the payload is the topic's name.</summary>
    public const string Channel = "berth_messages";

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _start = new();
    private Task? _loop;
    private int _disposed;

    public override async Task<IDisposable> SubscribeAsync(Action<string> arrived, CancellationToken cancellationToken)
    {
        var registration = await base.SubscribeAsync(arrived, cancellationToken);
        lock (_start)
        {
            _loop ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
        }

        await _listening.Task.WaitAsync(cancellationToken);
        return registration;
    }

    public override Task PublishingAsync(BrokerTransaction transaction, string topic) =>
        transaction.ExecuteAsync($"SELECT pg_notify('{Channel}', @Topic)", new { Topic = topic });

    // Every server, this one included, hears the NOTIFY.
    public override void Published(string topic)
    {
    }

    // The broker and the container may both dispose it; the second call has nothing left to do.
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

    private async Task ListenAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync(stop);
                connection.Notification += (_, e) => Announce(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
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
                LogListenFailed(logger, ex, database.Describe(), Reconnect.TotalSeconds);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for publishes of other servers on {Database} failed; trying again in {Seconds}s, consumers look on their own meanwhile")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, string database, double seconds);
}
