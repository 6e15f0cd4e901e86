namespace Berth.Core.Messaging;

/// <summary>
/// The topics and subscriptions a broker serves, agents' mailboxes included (<see cref="Mailboxes"/>): what the server declares
/// to the broker at start and after every change. A subscription names a topic of the same topology.
/// </summary>
public sealed record MessageTopology
{
    /// <summary>Every topic, mailboxes' included.</summary>
    public IReadOnlyList<TopicSpec> Topics { get; init; } = [];

    /// <summary>Every subscription, mailboxes' included.</summary>
    public IReadOnlyList<SubscriptionSpec> Subscriptions { get; init; } = [];

    /// <summary>The topic named <paramref name="name"/>, or null.</summary>
    public TopicSpec? Topic(string name) => Topics.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>The subscription named <paramref name="name"/>, or null.</summary>
    public SubscriptionSpec? Subscription(string name) =>
        Subscriptions.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>The subscriptions of <paramref name="topic"/>, in declaration order.</summary>
    public IEnumerable<SubscriptionSpec> SubscriptionsOf(string topic) =>
        Subscriptions.Where(s => string.Equals(s.Topic, topic, StringComparison.Ordinal));
}
