using Berth.Core.Messaging;

namespace Berth.Storage.Sql;

/// <summary>
/// The topology the embedded broker serves, copied when declared (specs have setters, and a caller changing one afterwards
/// must not change what the broker does) and indexed by name. Immutable: a change builds a new one.
/// </summary>
internal sealed class BrokerTopology
{
    public static readonly BrokerTopology Empty = new([], []);

    private readonly Dictionary<string, TopicSpec> _topics;
    private readonly Dictionary<string, SubscriptionSpec> _subscriptions;
    private readonly Dictionary<string, SubscriptionSpec[]> _byTopic;

    private BrokerTopology(IEnumerable<TopicSpec> topics, IEnumerable<SubscriptionSpec> subscriptions)
    {
        _topics = new Dictionary<string, TopicSpec>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            _topics[topic.Name] = topic with { };
        }

        // A subscription is served only with its topic: its lease and delivery limits are the topic's.
        _subscriptions = new Dictionary<string, SubscriptionSpec>(StringComparer.Ordinal);
        foreach (var subscription in subscriptions.Where(s => _topics.ContainsKey(s.Topic)))
        {
            _subscriptions[subscription.Name] = subscription with
            {
                Filter = new Dictionary<string, string>(subscription.Filter, StringComparer.Ordinal),
                Retry = subscription.Retry with { },
                Delivery = subscription.Delivery with { },
            };
        }

        _byTopic = _subscriptions.Values.GroupBy(s => s.Topic, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public IEnumerable<TopicSpec> Topics => _topics.Values;

    public static BrokerTopology From(MessageTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return new BrokerTopology(topology.Topics, topology.Subscriptions);
    }

    public TopicSpec? FindTopic(string name) => _topics.GetValueOrDefault(name);

    public TopicSpec Topic(string name) => FindTopic(name) ?? throw new UnknownTopicException(name);

    /// <summary>The subscription and its topic; throws <see cref="UnknownSubscriptionException"/> when either is not served.</summary>
    public (SubscriptionSpec Subscription, TopicSpec Topic) Subscription(string name) =>
        _subscriptions.TryGetValue(name, out var subscription)
            ? (subscription, _topics[subscription.Topic])
            : throw new UnknownSubscriptionException(name);

    public bool HasSubscription(string name) => _subscriptions.ContainsKey(name);

    public IReadOnlyList<SubscriptionSpec> SubscriptionsOf(string topic) => _byTopic.GetValueOrDefault(topic) ?? [];

    public BrokerTopology WithoutSubscription(string name) =>
        new(_topics.Values, _subscriptions.Values.Where(s => !string.Equals(s.Name, name, StringComparison.Ordinal)));

    public BrokerTopology WithoutTopic(string name) =>
        new(_topics.Values.Where(t => !string.Equals(t.Name, name, StringComparison.Ordinal)), _subscriptions.Values);
}
