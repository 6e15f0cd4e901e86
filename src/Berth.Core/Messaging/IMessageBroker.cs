namespace Berth.Core.Messaging;

/// <summary>
/// Where messages live between publish and ack: the embedded store (SQLite, the default) or RabbitMQ. Both give the same
/// guarantees, which one contract test suite proves: publish returns once the message is committed; each subscription gets its
/// own copy of every message its filter matches; a delivery is leased for the topic's visibility timeout; ack removes it for that
/// subscription; a nack or an expired lease delivers it again after the subscription's backoff; after the topic's
/// <c>maxDeliveries</c> it is dead (kept, listable, requeueable, and also published to the topic's <c>deadLetter</c> topic);
/// with <c>ordering: key</c> a key's next message is not delivered while an earlier one of the key is leased or waiting;
/// a <c>Message-Id</c> seen within the topic's dedupe window is not stored again. Implementations are safe for concurrent use.
/// </summary>
public interface IMessageBroker
{
    /// <summary>The backend's name as the configuration spells it: <c>embedded</c> or <c>rabbitmq</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Makes the broker serve <paramref name="topology"/> (idempotent; called at start and after every change). Topics and
    /// subscriptions it no longer names are left as they are until removed with <see cref="RemoveSubscriptionAsync"/> or
    /// <see cref="RemoveTopicAsync"/>; a subscription declared anew receives what is published from then on.
    /// </summary>
    Task DeclareAsync(MessageTopology topology, CancellationToken cancellationToken);

    /// <summary>Drops a subscription and every message held for it. Returns false when it held nothing and was unknown.</summary>
    Task<bool> RemoveSubscriptionAsync(string subscription, CancellationToken cancellationToken);

    /// <summary>Drops a topic (its subscriptions are removed first by the caller) and what remains of its messages.</summary>
    Task<bool> RemoveTopicAsync(string topic, CancellationToken cancellationToken);

    /// <summary>
    /// Commits <paramref name="message"/> to <paramref name="topic"/>, one copy per subscription whose filter matches, and returns
    /// only once it is durable. Throws <see cref="UnknownTopicException"/> for a topic the declared topology lacks.
    /// </summary>
    Task<PublishResult> PublishAsync(string topic, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> ready messages of <paramref name="subscription"/> (oldest first, honouring key order),
    /// without waiting: empty when none is ready. Throws <see cref="UnknownSubscriptionException"/> for an unknown subscription.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string subscription, int max, CancellationToken cancellationToken);

    /// <summary>Acks deliveries; returns the ack ids that were held and are now done (an expired lease's id is not).</summary>
    Task<IReadOnlyList<string>> AckAsync(string subscription, IReadOnlyList<string> ackIds, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a delivery back: it is delivered again after <paramref name="delay"/>, or the subscription's backoff when null, or
    /// dead-lettered when it has had the topic's <c>maxDeliveries</c>. Returns false when the lease was not held (expired, or acked).
    /// </summary>
    Task<bool> NackAsync(string subscription, string ackId, TimeSpan? delay, string? reason, CancellationToken cancellationToken);

    /// <summary>Held messages matching <paramref name="query"/>, oldest first (bodies are not listed).</summary>
    Task<IReadOnlyList<MessageEntry>> ListAsync(MessageQuery query, CancellationToken cancellationToken);

    /// <summary>A message by id with its body, or null when no subscription holds it any more and it is not retained.</summary>
    Task<StoredMessage?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Makes dead letters of <paramref name="subscription"/> ready again with their deliveries reset; all of them when <paramref name="ids"/> is null.</summary>
    Task<int> RequeueAsync(string subscription, IReadOnlyList<string>? ids, CancellationToken cancellationToken);

    /// <summary>Drops what <paramref name="subscription"/> holds in <paramref name="state"/> (every state when null); returns how many went.</summary>
    Task<int> PurgeAsync(string subscription, DeliveryState? state, CancellationToken cancellationToken);

    /// <summary>How many messages <paramref name="subscription"/> holds, by state.</summary>
    Task<SubscriptionStats> StatsAsync(string subscription, CancellationToken cancellationToken);

    /// <summary>Housekeeping, called every few seconds: dead-letters expired leases past their deliveries, drops messages past retention, forgets old dedupe ids.</summary>
    Task SweepAsync(CancellationToken cancellationToken);
}
