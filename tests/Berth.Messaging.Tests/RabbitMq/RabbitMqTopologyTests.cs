using Berth.Core.Messaging;
using Berth.Core.Workflows;
using Berth.Messaging.RabbitMq;
using Berth.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>What the broker makes in RabbitMQ: exchanges, queues, bindings and delay queues, and what removing takes away.</summary>
[RequiresRabbitMq]
[Collection(RabbitMqServerGroup.Name)]
public sealed class RabbitMqTopologyTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout = new(TestTimeouts.Slow);
    private RabbitMqHarness? _harness;

    public async Task InitializeAsync() => _harness = await RabbitMqHarness.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Slow);
        }

        _timeout.Dispose();
    }

    private CancellationToken Timeout => _timeout.Token;

    [Fact]
    public async Task DeclareAsync_FilterChangedAlsoAcrossARestart_OnlyTheNewFilterRoutes()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = _harness!.OpenBroker();
        await broker.DeclareAsync(Topology(topic, subscription, "a"), Timeout);
        await broker.DeclareAsync(Topology(topic, subscription, "b"), Timeout);

        await PublishAsync(broker, topic, "a");
        await PublishAsync(broker, topic, "b");
        var restarted = await _harness.RestartAsync(broker);
        await restarted.DeclareAsync(Topology(topic, subscription, "c"), Timeout);
        await PublishAsync(restarted, topic, "b");
        await PublishAsync(restarted, topic, "c");

        var received = await ReceiveAsync(restarted, subscription, 2);
        received.Select(m => m.Attributes["kind"]).ShouldBe(["b", "c"], "kind=a was unbound by the first change and kind=b by the one after the restart");
        (await restarted.ReceiveAsync(subscription, 10, Timeout)).ShouldBeEmpty();
    }

    [Fact]
    public async Task PublishAsync_MailboxNamesWithASlash_RoutedThroughTheirOwnExchangeAndQueue()
    {
        var agent = NewName("agent");
        var broker = _harness!.OpenBroker();
        await broker.DeclareAsync(new MessageTopology { Topics = [Mailboxes.Topic(agent)], Subscriptions = [Mailboxes.Subscription(agent)] }, Timeout);

        var published = await broker.PublishAsync(Mailboxes.Of(agent), new OutgoingMessage { Body = "hi", Publisher = "agent:other", ReplyTo = "agent/other" }, Timeout);

        (await QueueExistsAsync($"berth.sub.agent/{agent}")).ShouldBeTrue();
        var received = (await ReceiveAsync(broker, Mailboxes.Of(agent), 1)).Single();
        received.Id.ShouldBe(published.Id);
        received.ReplyTo.ShouldBe("agent/other");
    }

    [Fact]
    public async Task NackAsync_UnkeyedWithADelay_WaitsInADelayQueueCountedAsReadyAndRemovedWithTheSubscription()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = _harness!.OpenBroker();
        await broker.DeclareAsync(Topology(topic, subscription, filter: null), Timeout);
        var published = await PublishAsync(broker, topic, "a");
        var first = (await ReceiveAsync(broker, subscription, 1)).Single();

        var nackedAt = TimeProvider.System.GetUtcNow();
        (await broker.NackAsync(subscription, first.AckId, TimeSpan.FromSeconds(1), "busy", Timeout)).ShouldBeTrue();

        (await QueueExistsAsync($"berth.delay.{subscription}.1000")).ShouldBeTrue("a wait of 1 s goes to the 1000 ms delay queue");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(1, 0, 0), "a message in a delay queue is ready, later");
        var waiting = (await broker.ListAsync(new MessageQuery { Subscription = subscription }, Timeout)).Single();
        waiting.NextDeliveryAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(nackedAt + TimeSpan.FromSeconds(1));
        waiting.LastError.ShouldBe("busy");
        var again = (await ReceiveAsync(broker, subscription, 1)).Single();
        again.Id.ShouldBe(published.Id);
        again.Delivery.ShouldBe(2);

        (await broker.RemoveSubscriptionAsync(subscription, Timeout)).ShouldBeTrue();
        (await QueueExistsAsync($"berth.sub.{subscription}")).ShouldBeFalse();
        (await QueueExistsAsync($"berth.delay.{subscription}.1000")).ShouldBeFalse("the delay queues go with their subscription");
    }

    [Fact]
    public async Task PublishAsync_OutOfBounds_RefusedBeforeAnythingIsSent()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = _harness!.OpenBroker();
        await broker.DeclareAsync(Topology(topic, subscription, filter: null), Timeout);

        await Should.ThrowAsync<ArgumentException>(() => broker.PublishAsync(topic, new OutgoingMessage { Body = new string('x', MessageLimits.MaxBodyBytes), Publisher = "p" }, Timeout));
        await Should.ThrowAsync<ArgumentException>(() => broker.PublishAsync(topic, new OutgoingMessage { Body = 1, Key = "a\nb", Publisher = "p" }, Timeout));
        await Should.ThrowAsync<ArgumentException>(() => broker.PublishAsync(
            topic, new OutgoingMessage { Body = 1, Attributes = new Dictionary<string, string> { ["no spaces"] = "v" }, Publisher = "p" }, Timeout));

        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 0));
    }

    [Fact]
    public async Task PublishAsync_NothingListening_FailsAsUnavailableOnceTheOperationTimeoutPasses()
    {
        var topic = NewName("t");
        var broker = _harness!.OpenBroker("amqp://guest:guest@127.0.0.1:1/");
        var declare = await Should.ThrowAsync<MessageBrokerUnavailableException>(
            () => broker.DeclareAsync(new MessageTopology { Topics = [new TopicSpec { Name = topic }] }, Timeout).WaitAsync(_harness.OperationTimeout + TestTimeouts.Quick));
        declare.Message.ShouldContain("127.0.0.1:1");

        var publish = await Should.ThrowAsync<MessageBrokerUnavailableException>(
            () => broker.PublishAsync(topic, new OutgoingMessage { Body = 1, Publisher = "p" }, Timeout).WaitAsync(_harness.OperationTimeout + TestTimeouts.Quick));

        publish.Message.ShouldContain($"publish to topic '{topic}'");
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static MessageTopology Topology(string topic, string subscription, string? filter) => new()
    {
        Topics = [new TopicSpec { Name = topic, VisibilityTimeout = TimeSpan.FromMinutes(5) }],
        Subscriptions =
        [
            new SubscriptionSpec
            {
                Name = subscription,
                Topic = topic,
                Filter = filter is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["kind"] = filter },
                Retry = new RedeliverySpec { Backoff = BackoffKind.Constant, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
            },
        ],
    };

    private Task<PublishResult> PublishAsync(RabbitMqMessageBroker broker, string topic, string kind) =>
        broker.PublishAsync(topic, new OutgoingMessage { Body = kind, Attributes = new Dictionary<string, string> { ["kind"] = kind }, Publisher = "token:test" }, Timeout);

    private async Task<List<ReceivedMessage>> ReceiveAsync(RabbitMqMessageBroker broker, string subscription, int count)
    {
        var received = new List<ReceivedMessage>();
        await Eventually.MatchAsync(
            async token =>
            {
                received.AddRange(await broker.ReceiveAsync(subscription, count - received.Count, token));
                return received.Count;
            },
            got => got >= count,
            $"{count} messages from {subscription}",
            cancellationToken: Timeout);
        return received;
    }

    private static async Task<bool> QueueExistsAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMqServer.Url) };
        await using var connection = await factory.CreateConnectionAsync(TestTimeouts.Token(TestTimeouts.Quick));
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestTimeouts.Token(TestTimeouts.Quick));
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, TestTimeouts.Token(TestTimeouts.Quick));
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
