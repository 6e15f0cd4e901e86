using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Testing;

namespace Berth.Messaging.Tests.Contract;

/// <summary>Publish, receive and ack; fan-out, filters and dedupe; names the broker does not serve.</summary>
public abstract partial class MessageBrokerContract
{
    [Fact]
    public async Task PublishAsync_ThenReceiveAndAck_DeliveredOnceWithWhatWasPublishedAndNoLongerHeld()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);
        var body = new JsonObject { ["order"] = 42, ["items"] = new JsonArray("a", "b"), ["note"] = "größe ✓" };
        var published = await broker.PublishAsync(topic, new OutgoingMessage
        {
            Body = body,
            Key = "customer-7",
            Attributes = new Dictionary<string, string> { ["kind"] = "order", ["region"] = "eu" },
            Publisher = "agent:shop",
            CorrelationId = "corr-1",
            ReplyTo = "agent/shop",
        }, Timeout);

        published.Duplicate.ShouldBeFalse();
        var received = await ReceiveOneAsync(broker, subscription);
        received.Id.ShouldBe(published.Id);
        received.Subscription.ShouldBe(subscription);
        received.Topic.ShouldBe(topic);
        received.Key.ShouldBe("customer-7");
        JsonNode.DeepEquals(received.Body, body).ShouldBeTrue($"the body comes back as published, not {received.Body?.ToJsonString()}");
        received.Attributes.ShouldBe(new Dictionary<string, string> { ["kind"] = "order", ["region"] = "eu" }, ignoreOrder: true);
        received.Publisher.ShouldBe("agent:shop");
        received.CorrelationId.ShouldBe("corr-1");
        received.ReplyTo.ShouldBe("agent/shop");
        received.Delivery.ShouldBe(1);
        received.LeaseExpiresAt.ShouldBeGreaterThan(received.PublishedAt);
        (await broker.ListAsync(new MessageQuery { Subscription = subscription }, Timeout)).Single().State.ShouldBe(DeliveryState.Leased);

        (await broker.AckAsync(subscription, [received.AckId], Timeout)).ShouldBe([received.AckId]);

        (await broker.ListAsync(new MessageQuery { Subscription = subscription }, Timeout)).ShouldBeEmpty("an acked message is no longer held");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 0));
        await NothingToReceiveAsync(broker, subscription, "an acked message is not delivered again");
        (await broker.AckAsync(subscription, [received.AckId], Timeout)).ShouldBeEmpty("an ack id acks once");
    }

    [Fact]
    public async Task PublishAsync_BodyNull_DeliveredAsJsonNull()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);

        await PublishAsync(broker, topic, body: null);

        (await ReceiveOneAsync(broker, subscription)).Body.ShouldBeNull();
    }

    [Fact]
    public async Task PublishAsync_TwoSubscriptionsAndAFilter_EachMatchingSubscriptionGetsItsOwnCopy()
    {
        var (topic, first, second, filtered) = (NewName("t"), NewName("s"), NewName("s"), NewName("s"));
        var broker = await DeclaredAsync(
            [Topic(topic)],
            [Subscription(first, topic), Subscription(second, topic), Subscription(filtered, topic, new Dictionary<string, string> { ["kind"] = "b" })]);

        var a = await broker.PublishAsync(topic, Message(Body("a"), attributes: new Dictionary<string, string> { ["kind"] = "a" }), Timeout);
        var b = await broker.PublishAsync(topic, Message(Body("b"), attributes: new Dictionary<string, string> { ["kind"] = "b", ["extra"] = "x" }), Timeout);

        var toFirst = await ReceiveAsync(broker, first, 2);
        toFirst.Select(m => m.Id).ShouldBe([a.Id, b.Id], ignoreOrder: true);
        await broker.AckAsync(first, [.. toFirst.Select(m => m.AckId)], Timeout);
        (await ReceiveAsync(broker, second, 2)).Select(m => m.Id).ShouldBe([a.Id, b.Id], ignoreOrder: true, "acking on one subscription leaves the other's copies");
        (await ReceiveOneAsync(broker, filtered)).Id.ShouldBe(b.Id);
        await NothingToReceiveAsync(broker, filtered, "the filter kind=b excludes the message of kind a");
        (await broker.StatsAsync(filtered, Timeout)).ShouldBe(new SubscriptionStats(0, 1, 0));
    }

    [Fact]
    public async Task PublishAsync_SameMessageIdTwice_SecondIsADuplicateOfTheFirstAndDeliveredOnce()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);

        var first = await broker.PublishAsync(topic, Message(Body("one"), dedupeId: "order-42"), Timeout);
        var repeat = await broker.PublishAsync(topic, Message(Body("two"), dedupeId: "order-42"), Timeout);
        var other = await broker.PublishAsync(topic, Message(Body("three"), dedupeId: "order-43"), Timeout);

        first.Duplicate.ShouldBeFalse();
        repeat.ShouldBe(new PublishResult(first.Id, Duplicate: true));
        other.Duplicate.ShouldBeFalse();
        other.Id.ShouldNotBe(first.Id);
        var received = await ReceiveAsync(broker, subscription, 2);
        received.Select(Text).ShouldBe(["one", "three"], ignoreOrder: true);
        await NothingToReceiveAsync(broker, subscription, "the repeat was not stored");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 2, 0));
    }

    [Fact]
    public async Task PublishAsync_SubscriptionDeclaredAfterIt_DoesNotGetTheEarlierMessage()
    {
        var (topic, early, late) = (NewName("t"), NewName("s"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(early, topic)]);
        await PublishAsync(broker, topic, Body("before"));

        await broker.DeclareAsync(new MessageTopology { Topics = [Topic(topic)], Subscriptions = [Subscription(early, topic), Subscription(late, topic)] }, Timeout);
        await PublishAsync(broker, topic, Body("after"));

        (await ReceiveAsync(broker, early, 2)).Select(Text).ShouldBe(["before", "after"]);
        (await ReceiveOneAsync(broker, late)).Body!.GetValue<string>().ShouldBe("after");
        await NothingToReceiveAsync(broker, late, "a subscription receives what is published after it is declared");
    }

    [Fact]
    public async Task UnknownNames_EveryOperation_ThrowsUnknownTopicOrSubscription()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);
        var (missingTopic, missing) = (NewName("t"), NewName("s"));

        (await Should.ThrowAsync<UnknownTopicException>(() => PublishAsync(broker, missingTopic, Body("x")))).Topic.ShouldBe(missingTopic);
        (await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.ReceiveAsync(missing, 1, Timeout))).Subscription.ShouldBe(missing);
        await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.AckAsync(missing, ["x"], Timeout));
        await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.NackAsync(missing, "x", null, null, Timeout));
        await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.StatsAsync(missing, Timeout));
        await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.PurgeAsync(missing, null, Timeout));
        await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.RequeueAsync(missing, null, Timeout));
        (await broker.RemoveSubscriptionAsync(missing, Timeout)).ShouldBeFalse("it held nothing and was unknown");
    }

    [Fact]
    public async Task AckAndNack_AckIdsNeverHandedOut_AckNothing()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);
        await PublishAsync(broker, topic, Body("x"));
        var received = await ReceiveOneAsync(broker, subscription);

        (await broker.AckAsync(subscription, ["", "nonsense", received.AckId + "0", new string('9', 5000)], Timeout)).ShouldBeEmpty();
        (await broker.NackAsync(subscription, "nonsense", null, null, Timeout)).ShouldBeFalse();

        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 1, 0), "the real lease is untouched");
        (await broker.AckAsync(subscription, [received.AckId], Timeout)).ShouldBe([received.AckId]);
    }

    [Fact]
    public async Task RemoveSubscriptionAsync_HeldMessages_DroppedAndNotDeliveredWhenDeclaredAgain()
    {
        var (topic, subscription, other) = (NewName("t"), NewName("s"), NewName("s"));
        var topology = new MessageTopology { Topics = [Topic(topic)], Subscriptions = [Subscription(subscription, topic), Subscription(other, topic)] };
        var broker = await DeclaredAsync(topology.Topics, topology.Subscriptions);
        await PublishAsync(broker, topic, Body("one"));
        await PublishAsync(broker, topic, Body("two"));

        (await broker.RemoveSubscriptionAsync(subscription, Timeout)).ShouldBeTrue();

        await Should.ThrowAsync<UnknownSubscriptionException>(() => broker.ReceiveAsync(subscription, 1, Timeout));
        await broker.DeclareAsync(topology, Timeout);
        await NothingToReceiveAsync(broker, subscription, "removing a subscription drops what it held");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 0));
        (await ReceiveAsync(broker, other, 2)).Select(Text).ShouldBe(["one", "two"], "another subscription of the topic keeps its copies");
    }

    [Fact]
    public async Task GetAsync_HeldMessage_ReturnsItWithItsBody()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);
        var published = await broker.PublishAsync(topic, Message(new JsonObject { ["n"] = 1 }, key: "k", dedupeId: "d-1"), Timeout);

        var stored = await Eventually.MatchAsync(ct => broker.GetAsync(published.Id, ct), m => m is not null, "the message to be found by id", cancellationToken: Timeout);

        stored!.Topic.ShouldBe(topic);
        stored.Key.ShouldBe("k");
        stored.DedupeId.ShouldBe("d-1");
        stored.Publisher.ShouldBe("token:contract");
        stored.Body!["n"]!.GetValue<int>().ShouldBe(1);
        (await broker.GetAsync(Guid.NewGuid().ToString("N"), Timeout)).ShouldBeNull();
    }
}
