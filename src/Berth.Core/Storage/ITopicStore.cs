using Berth.Core.Messaging;

namespace Berth.Core.Storage;

/// <summary>Applied topics and subscriptions (their specs; the messages are the broker's). Implementations are safe for concurrent use.</summary>
public interface ITopicStore
{
    /// <summary>Every topic, ordered by name.</summary>
    Task<IReadOnlyList<TopicSpec>> ListTopicsAsync(CancellationToken cancellationToken);

    /// <summary>Creates the topic or updates its spec.</summary>
    Task<ApplyOutcome> ApplyTopicAsync(TopicSpec spec, CancellationToken cancellationToken);

    /// <summary>Forgets a topic. Returns false when unknown.</summary>
    Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every subscription, ordered by name.</summary>
    Task<IReadOnlyList<SubscriptionSpec>> ListSubscriptionsAsync(CancellationToken cancellationToken);

    /// <summary>Creates the subscription or updates its spec.</summary>
    Task<ApplyOutcome> ApplySubscriptionAsync(SubscriptionSpec spec, CancellationToken cancellationToken);

    /// <summary>Forgets a subscription. Returns false when unknown.</summary>
    Task<bool> DeleteSubscriptionAsync(string name, CancellationToken cancellationToken);
}
