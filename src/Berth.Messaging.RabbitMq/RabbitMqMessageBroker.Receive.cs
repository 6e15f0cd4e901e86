using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq.Amqp;
using Berth.Messaging.RabbitMq.Leases;
using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq;

internal sealed partial class RabbitMqMessageBroker
{
    private const string LeaseExpired = "lease expired";

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string subscription, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var lane = LaneOf(subscription);
        max = Math.Min(max, MessageLimits.MaxReceive);
        return await InLaneAsync(lane, (channel, token) => ReceiveLockedAsync(lane, channel, max, token), "receive", cancellationToken);
    }

    public async Task<IReadOnlyList<string>> AckAsync(string subscription, IReadOnlyList<string> ackIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(ackIds);
        var lane = LaneOf(subscription);
        if (ackIds.Count == 0)
        {
            return [];
        }

        return await InLaneAsync(lane, async (channel, token) =>
        {
            var now = _time.GetUtcNow();
            await ExpireLeasesAsync(lane, channel, now, token);
            var acked = new List<string>();
            foreach (var ackId in ackIds.Distinct(StringComparer.Ordinal))
            {
                if (lane.Leased(ackId, now) is { } held)
                {
                    await channel.BasicAckAsync(held.Tag, multiple: false, token);
                    lane.Release(held);
                    acked.Add(ackId);
                }
            }

            if (acked.Count > 0)
            {
                await SyncAsync(channel, token);
            }

            return (IReadOnlyList<string>)acked;
        }, "ack", cancellationToken);
    }

    public async Task<bool> NackAsync(string subscription, string ackId, TimeSpan? delay, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(ackId);
        var lane = LaneOf(subscription);
        return await InLaneAsync(lane, async (channel, token) =>
        {
            var now = _time.GetUtcNow();
            await ExpireLeasesAsync(lane, channel, now, token);
            if (lane.Leased(ackId, now) is not { } held)
            {
                return false;
            }

            lane.Unlease(held);
            var wait = delay ?? lane.Spec.Retry.DelayAfter(held.Deliveries);
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > SubscriptionSpecValidator.MaxRedeliveryDelay ? SubscriptionSpecValidator.MaxRedeliveryDelay : wait;
            await RetryAsync(lane, channel, held, wait, AmqpMessage.Bounded(reason) ?? "nacked", now, token);
            await SyncAsync(channel, token);
            return true;
        }, "nack", cancellationToken);
    }

    private async Task<IReadOnlyList<ReceivedMessage>> ReceiveLockedAsync(SubscriptionLane lane, IChannel channel, int max, CancellationToken cancellationToken)
    {
        await RetakeHeldAsync(lane, channel, cancellationToken);
        var now = _time.GetUtcNow();
        await ExpireLeasesAsync(lane, channel, now, cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var received = lane.Ready(now, max, keys).Select(held => lane.Lease(held, now)).ToList();
        var dropped = false;
        var queue = AmqpNames.Queue(lane.Name);
        while (received.Count < max && lane.Held.Count < _options.MaxHeldPerSubscription)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (result is null)
            {
                break;
            }

            var carried = AmqpMessage.Read(result.BasicProperties, result.Body, lane.Spec.Topic, NewId, now);
            _delayed.Remove(lane.Name, carried.Message.Id);
            if (carried.Message.PublishedAt + lane.Topic.Retention <= now)
            {
                // RabbitMQ keeps no retention of ours (a queue's TTL cannot change once declared): an old message is dropped here.
                await channel.BasicAckAsync(result.DeliveryTag, multiple: false, cancellationToken);
                RabbitMqLog.RetentionDropped(_logger, carried.Message.Id, lane.Name);
                dropped = true;
                continue;
            }

            var deliveries = lane.DeliveriesOf(carried.Message.Id, carried.Deliveries, result.Redelivered);
            var held = new HeldDelivery(result.DeliveryTag, carried.Message, deliveries, carried.LastError);
            lane.Held.Add(held);
            if (lane.KeyOf(held) is not { } key || keys.Add(key))
            {
                received.Add(lane.Lease(held, now));
            }

            // Otherwise an earlier message of its key is leased or waiting: it stays held back, unacked, until that one is done.
        }

        if (dropped)
        {
            await SyncAsync(channel, cancellationToken);
        }

        return received;
    }

    /// <summary>Gives back every delivery of <paramref name="lane"/> whose lease ran out, as a nack without a delay would.</summary>
    private async Task ExpireLeasesAsync(SubscriptionLane lane, IChannel channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var held in lane.Held.Where(h => h.IsExpired(now)).ToList())
        {
            lane.Unlease(held);
            await RetryAsync(lane, channel, held, lane.Spec.Retry.DelayAfter(held.Deliveries), LeaseExpired, now, cancellationToken);
        }
    }

    /// <summary>
    /// What follows a failed delivery: dead when it has had the topic's <c>maxDeliveries</c>; for a keyed message, a wait in
    /// memory (still unacked, so nothing after it of its key overtakes it, even across a crash of Berth); otherwise the
    /// message goes to the delay queue for <paramref name="delay"/> with its delivery count, and the original is acked once
    /// RabbitMQ has confirmed the copy (a crash in between delivers it twice, never zero times).
    /// </summary>
    private async Task RetryAsync(
        SubscriptionLane lane, IChannel channel, HeldDelivery held, TimeSpan delay, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (held.Deliveries >= lane.Topic.MaxDeliveries)
        {
            await DeadLetterAsync(lane, channel, held, reason, now, cancellationToken);
            return;
        }

        if (lane.KeyOf(held) is not null)
        {
            held.Wait(now + delay, reason);
            return;
        }

        var tier = DelayTiers.For(delay);
        await PublishToQueueAsync(lane, tier, held.Message, held.Deliveries, reason, cancellationToken);
        await channel.BasicAckAsync(held.Tag, multiple: false, cancellationToken);
        lane.Release(held);
        _delayed.Add(new DelayedEntry(lane.Name, held.Message, held.Deliveries, now + TimeSpan.FromMilliseconds(tier), reason));
    }

    /// <summary>Keeps the message as a dead letter of <paramref name="lane"/> (committed before RabbitMQ's copy is acked).</summary>
    private async Task DeadLetterAsync(
        SubscriptionLane lane, IChannel channel, HeldDelivery held, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _bookkeeping.AddDeadLetterAsync(lane.Name, held.Message, held.Deliveries, now, reason, cancellationToken);
        await channel.BasicAckAsync(held.Tag, multiple: false, cancellationToken);
        lane.Release(held);
        RabbitMqLog.DeadLettered(_logger, held.Message.Id, lane.Name, held.Deliveries, reason ?? "none");
        if (lane.Topic.DeadLetter is { } deadLetterTopic)
        {
            await PublishDeadLetterAsync(deadLetterTopic, lane.Name, held.Message, reason, cancellationToken);
        }
    }

    /// <summary>
    /// A round trip on <paramref name="channel"/>: RabbitMQ handles a channel's methods in order, so once it answers, every
    /// ack sent before has been applied — an ack reported done cannot come back, even if RabbitMQ stops right after.
    /// </summary>
    private static Task SyncAsync(IChannel channel, CancellationToken cancellationToken) =>
        channel.BasicQosAsync(prefetchSize: 0, prefetchCount: 0, global: false, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> holding the lane, on its channel (opened anew when the connection or channel was lost,
    /// which also forgets every delivery held on the old one: RabbitMQ has requeued them). Any failure closes the channel,
    /// since what it still holds is unknown, and becomes a <see cref="MessageBrokerUnavailableException"/>. The caller's token
    /// only bounds the wait for the lane: once begun, the work runs to its end or to <see cref="RabbitMqOptions.OperationTimeout"/>,
    /// because an AMQP call cut short leaves the channel in an unknown state, and closing it would give back every lease of
    /// the subscription because one caller went away.
    /// </summary>
    private async Task<T> InLaneAsync<T>(SubscriptionLane lane, Func<IChannel, CancellationToken, Task<T>> work, string what, CancellationToken cancellationToken)
    {
        await lane.Gate.WaitAsync(cancellationToken);
        using var deadline = new CancellationTokenSource(_options.OperationTimeout);
        try
        {
            await EnsureTopologyAsync(deadline.Token);
            if (lane.Channel is not { IsOpen: true } || lane.Generation != _connection.Generation)
            {
                if (lane.Channel?.CloseReason is { Initiator: ShutdownInitiator.Peer, ReplyCode: 406 } reason)
                {
                    RabbitMqLog.ChannelClosedByServer(_logger, lane.Name, reason.ReplyText);
                }

                await CloseLaneAsync(lane);
                lane.Channel = await _connection.OpenChannelAsync(deadline.Token);
                lane.Generation = _connection.Generation;
            }

            return await work(lane.Channel, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MessageBrokerUnavailableException || AmqpFailures.IsTransient(ex))
        {
            await CloseLaneAsync(lane);
            throw ex as MessageBrokerUnavailableException ?? Unavailable($"{what} on subscription '{lane.Name}'", ex);
        }
        finally
        {
            lane.Gate.Release();
        }
    }
}
