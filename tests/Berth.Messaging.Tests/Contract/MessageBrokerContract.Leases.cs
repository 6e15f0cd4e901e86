using Berth.Core.Messaging;
using Berth.Testing;

namespace Berth.Messaging.Tests.Contract;

/// <summary>Leases, nacks, dead letters, requeue and purge.</summary>
public abstract partial class MessageBrokerContract
{
    [Fact]
    public async Task ReceiveAsync_MessageLeased_HiddenFromASecondReceive()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic)]);
        await PublishAsync(broker, topic, Body("x"));
        await ReceiveOneAsync(broker, subscription);

        await NothingToReceiveAsync(broker, subscription, "a leased message is not delivered to another consumer");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 1, 0));
    }

    [Fact]
    public async Task ReceiveAsync_LeaseExpired_DeliveredAgainAsDeliveryTwoAndTheOldAckIdNoLongerAcks()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, visibilityTimeout: ShortLease)], [Subscription(subscription, topic)]);
        var published = await PublishAsync(broker, topic, Body("x"));
        var first = await ReceiveOneAsync(broker, subscription);

        var second = await ReceiveOneAsync(broker, subscription);

        second.Id.ShouldBe(published.Id);
        second.Delivery.ShouldBe(2);
        second.AckId.ShouldNotBe(first.AckId);
        (await broker.AckAsync(subscription, [first.AckId], Timeout)).ShouldBeEmpty("the first lease has expired");
        (await broker.NackAsync(subscription, first.AckId, null, null, Timeout)).ShouldBeFalse("the first lease has expired");
    }

    [Fact]
    public async Task AckAsync_LeaseEndedBeforeIt_NotAckedAndDeliveredAgain()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, visibilityTimeout: ShortLease)], [Subscription(subscription, topic)]);
        await PublishAsync(broker, topic, Body("x"));
        var first = await ReceiveOneAsync(broker, subscription);
        await StatsEventuallyAsync(broker, subscription, new SubscriptionStats(1, 0, 0));

        (await broker.AckAsync(subscription, [first.AckId], Timeout)).ShouldBeEmpty("the lease had ended");

        (await ReceiveOneAsync(broker, subscription)).Delivery.ShouldBe(2);
    }

    [Fact]
    public async Task NackAsync_HeldLease_DeliveredAgainWithTheCountIncreasedAndTheReasonKept()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic)], [Subscription(subscription, topic, retryDelay: TimeSpan.FromMilliseconds(100))]);
        await PublishAsync(broker, topic, Body("x"));
        var first = await ReceiveOneAsync(broker, subscription);

        (await broker.NackAsync(subscription, first.AckId, null, "downstream busy", Timeout)).ShouldBeTrue();

        var second = await ReceiveOneAsync(broker, subscription);
        second.Id.ShouldBe(first.Id);
        second.Delivery.ShouldBe(2);
        (await broker.NackAsync(subscription, first.AckId, null, null, Timeout)).ShouldBeFalse("a nacked lease is no longer held");
        (await broker.NackAsync(subscription, second.AckId, TimeSpan.FromMinutes(10), "later", Timeout)).ShouldBeTrue();
        var entry = (await broker.ListAsync(new MessageQuery { Subscription = subscription }, Timeout)).Single();
        entry.State.ShouldBe(DeliveryState.Ready);
        entry.Deliveries.ShouldBe(2);
        entry.LastError.ShouldBe("later");
        await NothingToReceiveAsync(broker, subscription, "a nack with a delay of 10 minutes holds the message back that long");
    }

    [Fact]
    public async Task NackAsync_MaxDeliveriesReached_DeadListedAndRequeueMakesItDeliverableAgain()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, maxDeliveries: 2)], [Subscription(subscription, topic)]);
        var published = await PublishAsync(broker, topic, Body("poison"));

        for (var delivery = 1; delivery <= 2; delivery++)
        {
            var received = await ReceiveOneAsync(broker, subscription);
            received.Delivery.ShouldBe(delivery);
            (await broker.NackAsync(subscription, received.AckId, TimeSpan.Zero, "cannot parse", Timeout)).ShouldBeTrue();
        }

        await StatsEventuallyAsync(broker, subscription, new SubscriptionStats(0, 0, 1));
        await NothingToReceiveAsync(broker, subscription, "a dead message is not delivered");
        var dead = (await broker.ListAsync(new MessageQuery { Subscription = subscription, State = DeliveryState.Dead }, Timeout)).Single();
        dead.Id.ShouldBe(published.Id);
        dead.Deliveries.ShouldBe(2);
        dead.LastError.ShouldBe("cannot parse");
        (await broker.ListAsync(new MessageQuery { Subscription = subscription, State = DeliveryState.Ready }, Timeout)).ShouldBeEmpty();

        (await broker.RequeueAsync(subscription, null, Timeout)).ShouldBe(1);

        var again = await ReceiveOneAsync(broker, subscription);
        again.Id.ShouldBe(published.Id);
        again.Delivery.ShouldBe(1, "requeueing resets the deliveries");
    }

    [Fact]
    public async Task RequeueAsync_ById_RequeuesOnlyThoseNamed()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, maxDeliveries: 1)], [Subscription(subscription, topic)]);
        var first = await PublishAsync(broker, topic, Body("first"));
        await PublishAsync(broker, topic, Body("second"));
        foreach (var received in await ReceiveAsync(broker, subscription, 2))
        {
            (await broker.NackAsync(subscription, received.AckId, null, null, Timeout)).ShouldBeTrue();
        }

        await StatsEventuallyAsync(broker, subscription, new SubscriptionStats(0, 0, 2));

        (await broker.RequeueAsync(subscription, [first.Id], Timeout)).ShouldBe(1);

        Text(await ReceiveOneAsync(broker, subscription)).ShouldBe("first");
        await NothingToReceiveAsync(broker, subscription, "the other dead letter was not named");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 1, 1));
    }

    [Fact]
    public async Task NackAsync_LastDelivery_CopyPublishedToTheDeadLetterTopicSayingWhereAndWhy()
    {
        var (topic, deadLetter, subscription, watcher) = (NewName("t"), NewName("dl"), NewName("s"), NewName("w"));
        var broker = await DeclaredAsync(
            [Topic(topic, maxDeliveries: 1, visibilityTimeout: ShortLease, deadLetter: deadLetter), Topic(deadLetter)],
            [Subscription(subscription, topic), Subscription(watcher, deadLetter)]);
        var published = await broker.PublishAsync(topic, Message(Body("poison"), key: "k1", attributes: new Dictionary<string, string> { ["kind"] = "order" }), Timeout);
        var received = await ReceiveOneAsync(broker, subscription);

        (await broker.NackAsync(subscription, received.AckId, null, "schema mismatch", Timeout)).ShouldBeTrue();

        var copy = await ReceiveOneAsync(broker, watcher);
        copy.Id.ShouldNotBe(published.Id);
        copy.Topic.ShouldBe(deadLetter);
        Text(copy).ShouldBe("poison");
        copy.Key.ShouldBe("k1");
        copy.Attributes["kind"].ShouldBe("order");
        copy.Attributes[DeadLetterAttributes.Subscription].ShouldBe(subscription);
        copy.Attributes[DeadLetterAttributes.Reason].ShouldBe("schema mismatch");
        copy.Attributes[DeadLetterAttributes.Message].ShouldBe(published.Id);
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 1), "the dead letter also stays on its subscription");
    }

    [Fact]
    public async Task SweepAsync_LastLeaseExpired_DeadAndCopiedToTheDeadLetterTopic()
    {
        var (topic, deadLetter, subscription, watcher) = (NewName("t"), NewName("dl"), NewName("s"), NewName("w"));
        var broker = await DeclaredAsync(
            [Topic(topic, maxDeliveries: 1, visibilityTimeout: ShortLease, deadLetter: deadLetter), Topic(deadLetter)],
            [Subscription(subscription, topic), Subscription(watcher, deadLetter)]);
        var published = await PublishAsync(broker, topic, Body("slow"));
        await ReceiveOneAsync(broker, subscription);

        // A sweep that runs after the lease has ended settles it and sends the copy; one that runs before does nothing.
        var copies = await Eventually.MatchAsync(
            async cancellationToken =>
            {
                await broker.SweepAsync(cancellationToken);
                return await broker.ReceiveAsync(watcher, 1, cancellationToken);
            },
            received => received.Count == 1,
            $"the dead-letter copy on subscription {watcher}",
            cancellationToken: Timeout);

        var copy = copies.Single();
        await StatsEventuallyAsync(broker, subscription, new SubscriptionStats(0, 0, 1));
        copy.Attributes[DeadLetterAttributes.Message].ShouldBe(published.Id);
        copy.Attributes[DeadLetterAttributes.Subscription].ShouldBe(subscription);
        copy.Attributes[DeadLetterAttributes.Reason].ShouldNotBeNullOrWhiteSpace();
        await NothingToReceiveAsync(broker, subscription, "a message past its deliveries is not delivered again");
    }

    [Fact]
    public async Task PurgeAsync_ByStateThenAll_DropsWhatWasHeldAndStatsFollow()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, maxDeliveries: 1)], [Subscription(subscription, topic)]);
        for (var i = 0; i < 5; i++)
        {
            await PublishAsync(broker, topic, Body($"m{i}"));
        }

        var received = await ReceiveAsync(broker, subscription, 2);
        (await broker.NackAsync(subscription, received[0].AckId, null, null, Timeout)).ShouldBeTrue();
        await StatsEventuallyAsync(broker, subscription, new SubscriptionStats(3, 1, 1));

        (await broker.PurgeAsync(subscription, DeliveryState.Ready, Timeout)).ShouldBe(3);
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 1, 1));
        (await broker.PurgeAsync(subscription, DeliveryState.Dead, Timeout)).ShouldBe(1);
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 1, 0));
        (await broker.PurgeAsync(subscription, null, Timeout)).ShouldBe(1);

        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 0));
        (await broker.AckAsync(subscription, [received[1].AckId], Timeout)).ShouldBeEmpty("a purged lease is no longer held");
        await NothingToReceiveAsync(broker, subscription, "everything was purged");
    }
}
