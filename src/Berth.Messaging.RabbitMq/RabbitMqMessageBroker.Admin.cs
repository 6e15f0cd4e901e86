using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq.Amqp;
using Berth.Messaging.RabbitMq.Leases;

namespace Berth.Messaging.RabbitMq;

internal sealed partial class RabbitMqMessageBroker
{
    public async Task<int> RequeueAsync(string subscription, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var lane = LaneOf(subscription);
        var rows = await _bookkeeping.DeadLettersOfAsync(subscription, ids, cancellationToken);
        var requeued = 0;
        foreach (var row in rows)
        {
            // Published (confirmed) before the row goes: a failure in between leaves a dead letter that is also ready again.
            await PublishToQueueAsync(lane, 0, row.ToStoredMessage(), deliveries: 0, lastError: null, cancellationToken);
            requeued += await _bookkeeping.DeleteDeadLetterAsync(subscription, row.Id, cancellationToken);
        }

        return requeued;
    }

    public async Task<int> PurgeAsync(string subscription, DeliveryState? state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var lane = LaneOf(subscription);
        var purged = 0;
        if (state is null or DeliveryState.Ready or DeliveryState.Leased)
        {
            var tiers = state is DeliveryState.Leased ? [] : await _bookkeeping.DelayQueuesAsync(subscription, cancellationToken);
            purged += await InLaneAsync(lane, async (channel, token) =>
            {
                var now = _time.GetUtcNow();
                var count = 0;
                foreach (var held in lane.Held.ToList())
                {
                    var leased = held.State == HeldState.Leased && !held.IsExpired(now);
                    if (state is null || (state == DeliveryState.Leased) == leased)
                    {
                        await channel.BasicAckAsync(held.Tag, multiple: false, token);
                        lane.Release(held);
                        count++;
                    }
                }

                if (state is not DeliveryState.Leased)
                {
                    count += (int)await channel.QueuePurgeAsync(AmqpNames.Queue(lane.Name), token);
                    foreach (var tier in tiers)
                    {
                        await DeclareDelayQueueAsync(channel, lane.Name, tier, token);
                        count += (int)await channel.QueuePurgeAsync(AmqpNames.DelayQueue(lane.Name, tier), token);
                    }

                    _delayed.RemoveSubscription(lane.Name);
                }

                await SyncAsync(channel, token);
                return count;
            }, "purge messages", cancellationToken);
        }

        if (state is null or DeliveryState.Dead)
        {
            purged += await _bookkeeping.DeleteDeadLettersAsync(subscription, cancellationToken);
        }

        return purged;
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var lane in _lanes.Values)
        {
            try
            {
                if (lane.Held.Count > 0)
                {
                    await InLaneAsync(lane, (channel, token) => SweepLaneAsync(lane, channel, now, token), "sweep", cancellationToken);
                }

                await _bookkeeping.DropDeadLettersPublishedBeforeAsync(lane.Name, now - lane.Topic.Retention, cancellationToken);
            }
            catch (MessageBrokerUnavailableException ex)
            {
                RabbitMqLog.SweepFailed(_logger, lane.Name, ex.Message);
            }
        }

        await _bookkeeping.ForgetDedupeAsync(now, cancellationToken);
        _delayed.Prune(now - TimeSpan.FromMinutes(1));
    }

    /// <summary>Gives back expired leases and drops what is held past its topic's retention.</summary>
    private async Task<bool> SweepLaneAsync(SubscriptionLane lane, RabbitMQ.Client.IChannel channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ExpireLeasesAsync(lane, channel, now, cancellationToken);
        await RetakeHeldAsync(lane, channel, cancellationToken);
        var dropped = false;
        foreach (var held in lane.Held.Where(h => h.State != HeldState.Leased && h.Message.PublishedAt + lane.Topic.Retention <= now).ToList())
        {
            await channel.BasicAckAsync(held.Tag, multiple: false, cancellationToken);
            lane.Release(held);
            RabbitMqLog.RetentionDropped(_logger, held.Message.Id, lane.Name);
            dropped = true;
        }

        if (dropped)
        {
            await SyncAsync(channel, cancellationToken);
        }

        return dropped;
    }
}
