using Berth.Messaging.RabbitMq.Amqp;
using Berth.Messaging.RabbitMq.Leases;
using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq;

internal sealed partial class RabbitMqMessageBroker
{
    /// <summary>
    /// Keeps the lane's channel clear of RabbitMQ's consumer timeout: once its oldest held delivery is older than
    /// <see cref="RabbitMqOptions.RetakeHeldAfter"/>, every held delivery is requeued (each goes back to its own place, and
    /// since a lane takes from the head and holds everything it has not acked, those places are the head of the queue, in
    /// the order held) and taken again at once under new delivery tags. Leases, waits and counts stay as they were; only
    /// a message that does not come back at the head (it cannot, with Berth the queue's only consumer) is let go, to be
    /// delivered again with the count remembered for it.
    /// </summary>
    private async Task RetakeHeldAsync(SubscriptionLane lane, IChannel channel, CancellationToken cancellationToken)
    {
        if (lane.Held.Count == 0 || Environment.TickCount64 - lane.Held.Min(h => h.TakenAt) < _options.RetakeHeldAfter.TotalMilliseconds)
        {
            return;
        }

        var held = lane.Held.OrderBy(h => h.Tag).ToList();
        var waiting = held.GroupBy(h => h.Message.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new Queue<HeldDelivery>(g), StringComparer.Ordinal);
        foreach (var delivery in held)
        {
            await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true, cancellationToken);
        }

        var retaken = new List<HeldDelivery>();
        var now = _time.GetUtcNow();
        for (var i = 0; i < held.Count; i++)
        {
            var result = await channel.BasicGetAsync(AmqpNames.Queue(lane.Name), autoAck: false, cancellationToken);
            if (result is null)
            {
                break;
            }

            var carried = AmqpMessage.Read(result.BasicProperties, result.Body, lane.Spec.Topic, NewId, now);
            if (waiting.TryGetValue(carried.Message.Id, out var same) && same.TryDequeue(out var delivery))
            {
                delivery.Retake(result.DeliveryTag);
                retaken.Add(delivery);
            }
            else
            {
                var deliveries = lane.DeliveriesOf(carried.Message.Id, carried.Deliveries, result.Redelivered);
                retaken.Add(new HeldDelivery(result.DeliveryTag, carried.Message, deliveries, carried.LastError));
            }
        }

        foreach (var lost in waiting.Values.SelectMany(q => q))
        {
            lane.Release(lost);
            lane.Returning(lost.Message.Id, lost.Deliveries);
        }

        lane.Held.Clear();
        lane.Held.AddRange(retaken);
        await SyncAsync(channel, cancellationToken);
        RabbitMqLog.HeldRetaken(_logger, lane.Name, retaken.Count);
    }
}
