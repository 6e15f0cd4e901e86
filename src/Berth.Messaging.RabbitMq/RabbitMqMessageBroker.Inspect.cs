using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq.Amqp;
using Berth.Messaging.RabbitMq.Leases;
using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq;

internal sealed partial class RabbitMqMessageBroker
{
    public async Task<IReadOnlyList<MessageEntry>> ListAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var entries = new Dictionary<(string Subscription, string Id), MessageEntry>();
        if (query.State is null or DeliveryState.Ready or DeliveryState.Leased)
        {
            foreach (var lane in LanesFor(query))
            {
                var held = await InLaneAsync(lane, (channel, token) => HeldAndQueuedAsync(lane, channel, query, limit, token), "list messages", cancellationToken);
                foreach (var entry in held)
                {
                    entries.TryAdd((entry.Subscription, entry.Id), entry);
                }
            }
        }

        if (query.State is null or DeliveryState.Dead)
        {
            var dead = await _bookkeeping.ListDeadLettersAsync(query.Subscription, query.Topic, query.Id, limit, cancellationToken);
            foreach (var row in dead)
            {
                entries.TryAdd((row.Subscription, row.Id), row.ToEntry());
            }
        }

        return [.. entries.Values
            .Where(e => (query.State is null || e.State == query.State) && (query.Id is null || e.Id == query.Id))
            .OrderBy(e => e.PublishedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Subscription, StringComparer.Ordinal)
            .Take(limit)];
    }

    public async Task<StoredMessage?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        foreach (var lane in _lanes.Values)
        {
            await lane.Gate.WaitAsync(cancellationToken);
            try
            {
                if (lane.Held.FirstOrDefault(h => h.Message.Id == id) is { } held)
                {
                    return held.Message with { Body = held.Message.Body?.DeepClone() };
                }
            }
            finally
            {
                lane.Gate.Release();
            }
        }

        if (_delayed.Find(id) is { } delayed)
        {
            return delayed.Message with { Body = delayed.Message.Body?.DeepClone() };
        }

        var dead = await _bookkeeping.ListDeadLettersAsync(null, null, id, 1, cancellationToken);
        if (dead.Count > 0)
        {
            return dead[0].ToStoredMessage();
        }

        // A message still in a queue is found by looking at the queues' heads, as a listing does.
        foreach (var lane in _lanes.Values)
        {
            var peeked = await InLaneAsync(lane, (channel, token) => PeekAsync(lane, channel, MessageLimits.MaxReceive, id, token), "look up a message", cancellationToken);
            if (peeked.Count > 0)
            {
                return peeked[0].Message;
            }
        }

        return null;
    }

    public async Task<SubscriptionStats> StatsAsync(string subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var lane = LaneOf(subscription);
        var tiers = await _bookkeeping.DelayQueuesAsync(subscription, cancellationToken);
        var (ready, leased) = await InLaneAsync(lane, async (channel, token) =>
        {
            var now = _time.GetUtcNow();
            long leasedNow = lane.Held.Count(h => h.State == HeldState.Leased && !h.IsExpired(now));
            long readyNow = lane.Held.Count - leasedNow + await channel.MessageCountAsync(AmqpNames.Queue(lane.Name), token);
            foreach (var tier in tiers)
            {
                readyNow += await DeclareDelayQueueAsync(channel, lane.Name, tier, token);
            }

            return (readyNow, leasedNow);
        }, "count messages", cancellationToken);
        var dead = await _bookkeeping.CountDeadLettersAsync(subscription, cancellationToken);
        return new SubscriptionStats(ready, leased, dead);
    }

    private List<SubscriptionLane> LanesFor(MessageQuery query) =>
        _lanes.Values
            .Where(l => (query.Subscription is null || l.Name == query.Subscription) && (query.Topic is null || l.Spec.Topic == query.Topic))
            .OrderBy(l => l.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>What <paramref name="lane"/> holds, what waits in its delay queues as far as known, and the head of its queue.</summary>
    private async Task<IReadOnlyList<MessageEntry>> HeldAndQueuedAsync(
        SubscriptionLane lane, IChannel channel, MessageQuery query, int limit, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var entries = lane.Held.Select(h => h.ToEntry(lane.Name, now)).ToList();
        entries.AddRange(_delayed.Of(lane.Name).Select(d => d.ToEntry()));
        if (query.State is null or DeliveryState.Ready)
        {
            var queued = await PeekAsync(lane, channel, limit, query.Id, cancellationToken);
            entries.AddRange(queued.Select(c => new MessageEntry
            {
                Id = c.Message.Id,
                Subscription = lane.Name,
                Topic = c.Message.Topic,
                Key = c.Message.Key,
                State = DeliveryState.Ready,
                Deliveries = c.Deliveries,
                PublishedAt = c.Message.PublishedAt,
                NextDeliveryAt = now,
                LastError = c.LastError,
            }));
        }

        return entries;
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> messages at the head of the lane's queue (only the one with <paramref name="id"/>
    /// when set) without consuming them: RabbitMQ has no browse, so they are taken and at once requeued, each to the place it
    /// had. Holding the lane keeps its receives from seeing the queue meanwhile.
    /// </summary>
    private async Task<IReadOnlyList<CarriedMessage>> PeekAsync(SubscriptionLane lane, IChannel channel, int limit, string? id, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var tags = new List<ulong>();
        var messages = new List<CarriedMessage>();
        try
        {
            while (tags.Count < limit)
            {
                var result = await channel.BasicGetAsync(AmqpNames.Queue(lane.Name), autoAck: false, cancellationToken);
                if (result is null)
                {
                    break;
                }

                tags.Add(result.DeliveryTag);
                var carried = AmqpMessage.Read(result.BasicProperties, result.Body, lane.Spec.Topic, NewId, now);
                carried = carried with { Deliveries = lane.DeliveriesOf(carried.Message.Id, carried.Deliveries, result.Redelivered) };
                lane.Returning(carried.Message.Id, carried.Deliveries);
                if (id is null || carried.Message.Id == id)
                {
                    messages.Add(carried);
                    if (id is not null)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            foreach (var tag in tags)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, cancellationToken);
            }
        }

        return messages;
    }
}
