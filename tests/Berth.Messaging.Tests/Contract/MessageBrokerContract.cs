using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Core.Workflows;
using Berth.Testing;

namespace Berth.Messaging.Tests.Contract;

/// <summary>
/// The guarantees every <see cref="IMessageBroker"/> gives, as its summary states them, run against each backend by a derived
/// class that says how to create a broker and how to restart one on the same durable state. Real time with short settings
/// (leases of a second, no or short backoff): a test waits for what it expects with <see cref="Eventually"/>, never for a
/// time, and each declares its own uniquely named topics and subscriptions, so a backend may share one server among tests.
/// </summary>
public abstract partial class MessageBrokerContract : IDisposable
{
    /// <summary>The lease of tests about expiry: short, so it ends soon. Such a test acts on nothing it must hold for that long.</summary>
    protected static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(1);

    /// <summary>The lease of every other test: one no test outlives, so a slow machine cannot make a lease end under it.</summary>
    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _timeout = new(TestTimeouts.Slow);

    /// <summary>Ends every broker call of the test once <see cref="TestTimeouts.Slow"/> has passed, so a hang fails the test.</summary>
    protected CancellationToken Timeout => _timeout.Token;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A broker on fresh or shared durable state, ready to be declared a topology.</summary>
    protected abstract Task<IMessageBroker> CreateBrokerAsync();

    /// <summary>
    /// A new broker on the durable state of <paramref name="broker"/>, as a server restarted after a crash would have: the old
    /// instance is abandoned without a graceful close where the backend allows. The test declares the topology again.
    /// </summary>
    protected abstract Task<IMessageBroker> RestartAsync(IMessageBroker broker);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timeout.Dispose();
        }
    }

    protected static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    protected static TopicSpec Topic(
        string name, int maxDeliveries = 5, TimeSpan? visibilityTimeout = null, MessageOrdering ordering = MessageOrdering.None, string? deadLetter = null) =>
        new()
        {
            Name = name,
            MaxDeliveries = maxDeliveries,
            VisibilityTimeout = visibilityTimeout ?? LongLease,
            Ordering = ordering,
            DeadLetter = deadLetter,
            Retention = TimeSpan.FromHours(1),
            DedupeWindow = TimeSpan.FromMinutes(10),
        };

    protected static SubscriptionSpec Subscription(string name, string topic, IReadOnlyDictionary<string, string>? filter = null, TimeSpan? retryDelay = null) =>
        new()
        {
            Name = name,
            Topic = topic,
            Filter = filter ?? new Dictionary<string, string>(),
            Retry = new RedeliverySpec { Backoff = BackoffKind.Constant, InitialDelay = retryDelay ?? TimeSpan.Zero, MaxDelay = retryDelay ?? TimeSpan.Zero },
        };

    protected static OutgoingMessage Message(
        JsonNode? body, string? key = null, IReadOnlyDictionary<string, string>? attributes = null, string? dedupeId = null) =>
        new()
        {
            Body = body,
            Key = key,
            Attributes = attributes ?? new Dictionary<string, string>(),
            DedupeId = dedupeId,
            Publisher = "token:contract",
        };

    /// <summary>A broker serving <paramref name="topics"/> and <paramref name="subscriptions"/>.</summary>
    protected async Task<IMessageBroker> DeclaredAsync(IReadOnlyList<TopicSpec> topics, IReadOnlyList<SubscriptionSpec> subscriptions)
    {
        var broker = await CreateBrokerAsync().WaitAsync(Timeout);
        await broker.DeclareAsync(new MessageTopology { Topics = topics, Subscriptions = subscriptions }, Timeout);
        return broker;
    }

    protected Task<PublishResult> PublishAsync(IMessageBroker broker, string topic, JsonNode? body, string? key = null) =>
        broker.PublishAsync(topic, Message(body, key), Timeout);

    /// <summary>
    /// Leases messages of <paramref name="subscription"/> until <paramref name="count"/> have come, asking for no more than are
    /// missing; a broker may make a message deliverable a moment after its publish answered, or after a lease or backoff.
    /// </summary>
    protected async Task<List<ReceivedMessage>> ReceiveAsync(IMessageBroker broker, string subscription, int count)
    {
        var received = new List<ReceivedMessage>();
        await Eventually.MatchAsync(
            async cancellationToken =>
            {
                received.AddRange(await broker.ReceiveAsync(subscription, count - received.Count, cancellationToken));
                return received.Count;
            },
            got => got >= count,
            got => $"{count} messages from subscription {subscription}; got {got}: {string.Join(", ", received.Select(m => m.Body?.ToJsonString()))}",
            cancellationToken: Timeout);
        return received;
    }

    protected async Task<ReceivedMessage> ReceiveOneAsync(IMessageBroker broker, string subscription) =>
        (await ReceiveAsync(broker, subscription, 1)).Single();

    /// <summary>Asserts nothing of <paramref name="subscription"/> may be leased now.</summary>
    protected async Task NothingToReceiveAsync(IMessageBroker broker, string subscription, string why)
    {
        var received = await broker.ReceiveAsync(subscription, MessageLimits.MaxReceive, Timeout);
        received.Select(m => m.Body?.ToJsonString()).ShouldBeEmpty(why);
    }

    protected Task<SubscriptionStats> StatsEventuallyAsync(IMessageBroker broker, string subscription, SubscriptionStats expected) =>
        Eventually.MatchAsync(
            cancellationToken => broker.StatsAsync(subscription, cancellationToken),
            stats => stats == expected,
            $"subscription {subscription} to hold {expected}",
            cancellationToken: Timeout);

    protected static string Text(ReceivedMessage message) => message.Body!.GetValue<string>();

    protected static JsonNode Body(string text) => JsonValue.Create(text);
}
