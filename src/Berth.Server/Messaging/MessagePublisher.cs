using Berth.Core.Messaging;
using Berth.Server.Messaging.Replies;

namespace Berth.Server.Messaging;

/// <summary>
/// The one way messages enter the broker (API, mailboxes, replies, MCP): publishes, wakes the topic's consumers, and hands a reply
/// (a message with a correlation id) to a request waiting for it on this server.
/// </summary>
internal sealed class MessagePublisher(IMessageBroker broker, MessagingTopology topology, SubscriptionSignals signals, ReplyWaiters replies, TimeProvider time)
{
    /// <summary>Publishes <paramref name="message"/>; throws <see cref="UnknownTopicException"/> when no such topic exists even after a refresh.</summary>
    public async Task<PublishResult> PublishAsync(string topic, OutgoingMessage message, CancellationToken cancellationToken)
    {
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

        foreach (var subscription in topology.Current.SubscriptionsOf(topic))
        {
            signals.Pulse(subscription.Name);
        }

        if (message.CorrelationId is { } correlation && !result.Duplicate)
        {
            replies.Complete(correlation, new StoredMessage
            {
                Id = result.Id,
                Topic = topic,
                Key = message.Key,
                Attributes = message.Attributes,
                Body = message.Body?.DeepClone(),
                PublishedAt = time.GetUtcNow(),
                Publisher = message.Publisher,
                DedupeId = message.DedupeId,
                CorrelationId = correlation,
                ReplyTo = message.ReplyTo,
            });
        }

        return result;
    }
}
