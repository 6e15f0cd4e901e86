using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq.Amqp;
using Berth.Messaging.RabbitMq.Bookkeeping;
using Berth.Messaging.RabbitMq.Leases;
using Berth.Storage.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq;

/// <summary>
/// <see cref="IMessageBroker"/> on RabbitMQ. A topic is a durable headers exchange (<c>berth.topic.NAME</c>) and a
/// subscription a durable queue (<c>berth.sub.NAME</c>) bound with <c>x-match: all</c> and its filter, so RabbitMQ routes a
/// publish to every matching subscription at once; a publish returns after the publisher confirm. A receive takes messages
/// with <c>basic.get</c> and manual ack and holds them unacked while they are leased (<see cref="SubscriptionLane"/>): if
/// Berth dies, RabbitMQ requeues them where they were. A nack or an expired lease republishes the message with its delivery
/// count to a delay queue that dead-letters back into the subscription's queue (<see cref="DelayTiers"/>) and acks the
/// original; a keyed message waits in memory instead, still unacked, so its key keeps its order. Dedupe ids and dead letters
/// are kept in Berth's SQLite store (<see cref="RabbitMqBookkeeping"/>): RabbitMQ 3.10 has neither.
/// RabbitMQ closes a channel whose oldest unacked delivery is older than its <c>consumer_timeout</c> (30 minutes by default),
/// which a lease of up to 12 hours would pass: what a subscription holds is requeued and taken again, state kept, every
/// <see cref="RabbitMqOptions.RetakeHeldAfter"/> (RabbitMqMessageBroker.Retake.cs).
/// </summary>
internal sealed partial class RabbitMqMessageBroker : IMessageBroker, IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly RabbitMqOptions _options;
    private readonly RabbitMqConnection _connection;
    private readonly RabbitMqBookkeeping _bookkeeping;
    private readonly TimeProvider _time;
    private readonly ILogger<RabbitMqMessageBroker> _logger;
    private readonly ConcurrentDictionary<string, TopicSpec> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubscriptionLane> _lanes = new(StringComparer.Ordinal);
    private readonly DelayedIndex _delayed = new();
    private readonly SemaphoreSlim _declareGate = new(1, 1);
    private readonly SemaphoreSlim[] _dedupeGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    // What is declared on the connection of _declaredGeneration: exchanges by topic, queue bindings by subscription.
    private readonly HashSet<string> _declaredTopics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Topic, string Filter)> _declaredSubscriptions = new(StringComparer.Ordinal);
    private long _declaredGeneration = -1;
    private volatile bool _topologyChanged = true;

    public RabbitMqMessageBroker(
        IOptions<RabbitMqOptions> options, StoreDatabase database, TimeProvider time, ILogger<RabbitMqMessageBroker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _connection = new RabbitMqConnection(_options);
        _bookkeeping = new RabbitMqBookkeeping(database);
        _time = time;
        _logger = logger;
    }

    public string Name => "rabbitmq";

    /// <summary>The topics this broker has been declared, for tests that remove what they made.</summary>
    internal IReadOnlyList<string> KnownTopics => [.. _topics.Keys];

    /// <summary>The subscriptions this broker has been declared.</summary>
    internal IReadOnlyList<string> KnownSubscriptions => [.. _lanes.Keys];

    public async Task DeclareAsync(MessageTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        foreach (var topic in topology.Topics)
        {
            _topics[topic.Name] = topic;
        }

        foreach (var lane in _lanes.Values)
        {
            lane.Topic = TopicOf(lane.Spec.Topic);
        }

        foreach (var subscription in topology.Subscriptions)
        {
            var lane = _lanes.GetOrAdd(subscription.Name, _ => new SubscriptionLane(subscription, TopicOf(subscription.Topic)));
            lane.Spec = subscription;
            lane.Topic = TopicOf(subscription.Topic);
        }

        _topologyChanged = true;
        await WithDeadlineAsync(EnsureTopologyAsync, "declare the topology", cancellationToken);
    }

    public async Task<bool> RemoveSubscriptionAsync(string subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);

        // Under the declaration gate: a declaration of the same name runs wholly before (and is removed) or wholly after
        // (and declares the queue afresh), never between the queue's deletion and forgetting that it was declared. The lane
        // is taken first, in the order every lane operation takes the two.
        _lanes.TryGetValue(subscription, out var lane);
        if (lane is not null)
        {
            await lane.Gate.WaitAsync(cancellationToken);
        }

        try
        {
            await _declareGate.WaitAsync(cancellationToken);
            try
            {
                var known = _lanes.TryRemove(subscription, out _);
                if (lane is not null)
                {
                    await CloseLaneAsync(lane);
                }

                var tiers = await _bookkeeping.DelayQueuesAsync(subscription, cancellationToken);
                var held = await WithDeadlineAsync(async token =>
                {
                    await using var channel = await _connection.OpenChannelAsync(token);
                    var messages = await channel.QueueDeleteAsync(AmqpNames.Queue(subscription), ifUnused: false, ifEmpty: false, cancellationToken: token);
                    foreach (var tier in tiers)
                    {
                        messages += await channel.QueueDeleteAsync(AmqpNames.DelayQueue(subscription, tier), ifUnused: false, ifEmpty: false, cancellationToken: token);
                    }

                    await channel.CloseAsync(token);
                    return messages;
                }, "delete the subscription's queues", cancellationToken);
                _declaredSubscriptions.Remove(subscription);
                var kept = await _bookkeeping.ForgetSubscriptionAsync(subscription, cancellationToken);
                _delayed.RemoveSubscription(subscription);
                return known || held > 0 || kept > 0;
            }
            finally
            {
                _declareGate.Release();
            }
        }
        finally
        {
            lane?.Gate.Release();
        }
    }

    public async Task<bool> RemoveTopicAsync(string topic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        await _declareGate.WaitAsync(cancellationToken);
        try
        {
            var known = _topics.TryRemove(topic, out _);
            await WithDeadlineAsync(async token =>
            {
                await using var channel = await _connection.OpenChannelAsync(token);
                await channel.ExchangeDeleteAsync(AmqpNames.Exchange(topic), ifUnused: false, cancellationToken: token);
                await channel.CloseAsync(token);
                return true;
            }, "delete the topic's exchange", cancellationToken);
            _declaredTopics.Remove(topic);
            var forgotten = await _bookkeeping.ForgetTopicAsync(topic, cancellationToken);
            return known || forgotten > 0;
        }
        finally
        {
            _declareGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes.Values)
        {
            await CloseLaneAsync(lane);
        }

        await _connection.DisposeAsync();
    }

    private TopicSpec TopicOf(string topic) => _topics.TryGetValue(topic, out var spec) ? spec : new TopicSpec { Name = topic };

    private SubscriptionLane LaneOf(string subscription) =>
        _lanes.TryGetValue(subscription, out var lane) ? lane : throw new UnknownSubscriptionException(subscription);

    /// <summary>
    /// Declares what is not declared yet on the current connection: every topic's exchange, every subscription's queue and
    /// binding. After a reconnect everything is declared again (idempotent), so a broker that lost its definitions gets them back.
    /// </summary>
    private async Task EnsureTopologyAsync(CancellationToken cancellationToken)
    {
        await _connection.ConnectionAsync(cancellationToken);
        if (Interlocked.Read(ref _declaredGeneration) == _connection.Generation && !_topologyChanged)
        {
            return;
        }

        await _declareGate.WaitAsync(cancellationToken);
        try
        {
            var generation = _connection.Generation;
            _topologyChanged = false;
            if (generation != _declaredGeneration)
            {
                _declaredTopics.Clear();
                _declaredSubscriptions.Clear();
            }

            IChannel? channel = null;
            try
            {
                foreach (var topic in _topics.Keys.Where(t => !_declaredTopics.Contains(t)).ToList())
                {
                    channel ??= await _connection.OpenChannelAsync(cancellationToken);
                    await channel.ExchangeDeclareAsync(AmqpNames.Exchange(topic), ExchangeType.Headers, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                    _declaredTopics.Add(topic);
                }

                foreach (var lane in _lanes.Values)
                {
                    var binding = (lane.Spec.Topic, Filter: JsonSerializer.Serialize(new SortedDictionary<string, string>(lane.Spec.Filter.ToDictionary(), StringComparer.Ordinal)));
                    if (_declaredSubscriptions.TryGetValue(lane.Name, out var declared) && declared == binding)
                    {
                        continue;
                    }

                    channel ??= await _connection.OpenChannelAsync(cancellationToken);
                    channel = await DeclareSubscriptionAsync(channel, lane.Spec, binding.Filter, cancellationToken);
                    _declaredSubscriptions[lane.Name] = binding;
                }
            }
            finally
            {
                if (channel is not null)
                {
                    await channel.DisposeAsync();
                }
            }

            Interlocked.Exchange(ref _declaredGeneration, generation);
        }
        catch
        {
            _topologyChanged = true;
            throw;
        }
        finally
        {
            _declareGate.Release();
        }
    }

    /// <summary>Declares a subscription's queue and binds it; a binding left from another topic or filter is removed first.</summary>
    private async Task<IChannel> DeclareSubscriptionAsync(IChannel channel, SubscriptionSpec spec, string filter, CancellationToken cancellationToken)
    {
        var queue = AmqpNames.Queue(spec.Name);
        await channel.ExchangeDeclareAsync(AmqpNames.Exchange(spec.Topic), ExchangeType.Headers, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        var previous = await _bookkeeping.BindingAsync(spec.Name, cancellationToken);
        if (previous is { } old && (old.Topic != spec.Topic || old.Filter != filter))
        {
            try
            {
                var oldFilter = JsonSerializer.Deserialize<Dictionary<string, string>>(old.Filter) ?? [];
                await channel.QueueUnbindAsync(queue, AmqpNames.Exchange(old.Topic), string.Empty, AmqpMessage.BindingArguments(oldFilter), cancellationToken);
            }
            catch (Exception ex) when (AmqpFailures.ReplyCode(ex) == 404)
            {
                // The old topic's exchange is gone, and its bindings with it; RabbitMQ closed the channel for asking.
                await channel.DisposeAsync();
                channel = await _connection.OpenChannelAsync(cancellationToken);
            }
        }

        await channel.QueueBindAsync(queue, AmqpNames.Exchange(spec.Topic), string.Empty, AmqpMessage.BindingArguments(spec.Filter), cancellationToken: cancellationToken);
        if (previous is not { } current || current.Topic != spec.Topic || current.Filter != filter)
        {
            await _bookkeeping.SetBindingAsync(spec.Name, spec.Topic, filter, cancellationToken);
        }

        return channel;
    }

    /// <summary>
    /// Runs <paramref name="work"/> against RabbitMQ within <see cref="RabbitMqOptions.OperationTimeout"/>; a lost connection,
    /// a refusal or the deadline becomes a <see cref="MessageBrokerUnavailableException"/> that says what was being done.
    /// </summary>
    private async Task<T> WithDeadlineAsync<T>(Func<CancellationToken, Task<T>> work, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.OperationTimeout);
        try
        {
            return await work(deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(what, ex);
        }
        catch (Exception ex) when (AmqpFailures.IsTransient(ex))
        {
            throw Unavailable(what, ex);
        }
    }

    private Task<bool> WithDeadlineAsync(Func<CancellationToken, Task> work, string what, CancellationToken cancellationToken) =>
        WithDeadlineAsync(async token =>
        {
            await work(token);
            return true;
        }, what, cancellationToken);

    private MessageBrokerUnavailableException Unavailable(string what, Exception exception)
    {
        if (AmqpFailures.ReplyCode(exception) == 404)
        {
            RedeclareAll();
        }

        return new($"RabbitMQ at {_connection.Endpoint} could not {what} within {_options.OperationTimeout.TotalSeconds:0.#}s: {exception.Message}", exception);
    }

    /// <summary>
    /// Has the next operation declare every exchange, queue and binding again: one is missing although declared (deleted
    /// by hand, or a server that lost its definitions).
    /// </summary>
    private void RedeclareAll()
    {
        _topologyChanged = true;
        Interlocked.Exchange(ref _declaredGeneration, -1);
    }

    private async Task CloseLaneAsync(SubscriptionLane lane)
    {
        var channel = lane.Channel;
        var dropped = lane.Forget();
        if (dropped > 0)
        {
            RabbitMqLog.DeliveriesReturned(_logger, lane.Name, dropped);
        }

        if (channel is not null)
        {
            try
            {
                await channel.CloseAsync();
            }
            catch (Exception ex) when (AmqpFailures.IsTransient(ex))
            {
                // The channel is gone already, and with it every delivery it held.
            }

            await channel.DisposeAsync();
        }
    }

    private string NewId() => Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");
}
