using Berth.Core.Messaging;

namespace Berth.Server.Messaging;

/// <summary>The one way messages enter the broker (API, mailboxes, replies, triggers' dead letters, MCP): publishes, and wakes the topic's consumers.</summary>
internal sealed class MessagePublisher(IMessageBroker broker, MessagingTopology topology, SubscriptionSignals signals)
{
    /// <summary>Publishes <paramref name="message"/>; throws <see cref="UnknownTopicException"/> when no such topic exists even after a refresh.</summary>
    public async Task<PublishResult> PublishAsync(string topic, OutgoingMessage message, CancellationToken cancellationToken)
    {
        using var activity = MessagingTracing.StartPublish(topic);
        PublishResult result;
        try
        {
            result = await broker.PublishAsync(topic, message, cancellationToken);
        }
        catch (UnknownTopicException)
        {
            // Applied since the last refresh (or the mailbox of an agent applied since): declared by a refresh, so a second try finds it.
            if ((await topology.RefreshAsync(cancellationToken)).Topic(topic) is null)
            {
                throw;
            }

            result = await broker.PublishAsync(topic, message, cancellationToken);
        }

        MessagingMetrics.RecordPublished(topic);
        foreach (var subscription in topology.Current.SubscriptionsOf(topic))
        {
            signals.Pulse(subscription.Name);
        }

        return result;
    }
}
