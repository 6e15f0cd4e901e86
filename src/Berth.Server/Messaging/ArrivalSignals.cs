using Berth.Core.Messaging;
using Berth.Storage.Sql;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Messaging;

/// <summary>
/// Pulses the <see cref="SubscriptionSignals"/> of a topic's subscriptions when the broker announces a publish to it
/// (<see cref="IMessageArrivals"/>): on PostgreSQL that includes publishes of the other servers sharing the database, whose
/// consumers here would otherwise wait for their next recheck. RabbitMQ announces nothing; its consumers recheck as before.
/// </summary>
internal sealed class ArrivalSignals(IMessageBroker broker, MessagingTopology topology, SubscriptionSignals signals) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (broker is not IMessageArrivals arrivals)
        {
            return;
        }

        using var registration = await arrivals.SubscribeAsync(Pulse, stoppingToken);
        await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken);
    }

    private void Pulse(string topic)
    {
        foreach (var subscription in topology.Current.SubscriptionsOf(topic))
        {
            signals.Pulse(subscription.Name);
        }
    }
}
