using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq.Amqp;

/// <summary>
/// The one AMQP connection of the broker, opened on first use and again after it is lost. The client's automatic recovery is
/// off on purpose: a recovered channel keeps its object but not its deliveries, and the broker must know when every delivery
/// it holds has gone back to the queue. Each new connection gets a new <see cref="Generation"/>; whoever holds channels or
/// declarations from an older one starts again. Also keeps the shared publishing channel (publisher confirms on, tracked).
/// </summary>
internal sealed class RabbitMqConnection(RabbitMqOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConnectionFactory _factory = new()
    {
        Uri = new Uri(options.Url),
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        RequestedConnectionTimeout = options.OperationTimeout,
        ContinuationTimeout = options.OperationTimeout,
        HandshakeContinuationTimeout = options.OperationTimeout,
        ClientProvidedName = "berth",
    };

    private IConnection? _connection;
    private IChannel? _publisher;
    private long _generation;

    /// <summary>Grows by one with every connection opened.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Where the server is, without credentials, for messages: <c>host:port</c>.</summary>
    public string Endpoint => $"{_factory.HostName}:{_factory.Port}";

    /// <summary>The open connection, connecting first when there is none.</summary>
    public async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await OpenLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The publishing channel: publisher confirms on, so a publish returns once RabbitMQ has taken the message.</summary>
    public async Task<IChannel> PublisherAsync(CancellationToken cancellationToken)
    {
        if (_publisher is { IsOpen: true } open && _connection is { IsOpen: true })
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenLockedAsync(cancellationToken);
            if (_publisher is not { IsOpen: true })
            {
                if (_publisher is not null)
                {
                    await _publisher.DisposeAsync();
                }

                _publisher = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                    cancellationToken);
            }

            return _publisher;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new channel of its own for the caller, who closes it.</summary>
    public async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        return await connection.CreateChannelAsync(cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_publisher is not null)
            {
                await _publisher.DisposeAsync();
                _publisher = null;
            }

            if (_connection is not null)
            {
                await CloseQuietlyAsync(_connection);
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IConnection> OpenLockedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        if (_connection is not null)
        {
            if (_publisher is not null)
            {
                await _publisher.DisposeAsync();
                _publisher = null;
            }

            await CloseQuietlyAsync(_connection);
            _connection = null;
        }

        _connection = await _factory.CreateConnectionAsync(cancellationToken);
        Interlocked.Increment(ref _generation);
        return _connection;
    }

    private static async Task CloseQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (AmqpFailures.IsTransient(ex))
        {
            // Already gone: nothing to close.
        }

        await connection.DisposeAsync();
    }
}
