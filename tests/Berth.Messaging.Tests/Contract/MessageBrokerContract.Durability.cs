using Berth.Core.Messaging;

namespace Berth.Messaging.Tests.Contract;

/// <summary>What survives a restart: every message not acked, leases and dead letters and dedupe ids, and nothing that was acked.</summary>
public abstract partial class MessageBrokerContract
{
    [Fact]
    public async Task RestartAsync_MessagesNotAcked_DeliveredAfterItAndAckedOnesNever()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var topology = new MessageTopology { Topics = [Topic(topic)], Subscriptions = [Subscription(subscription, topic)] };
        var broker = await DeclaredAsync(topology.Topics, topology.Subscriptions);
        await PublishAsync(broker, topic, Body("acked"));
        var acked = await ReceiveOneAsync(broker, subscription);
        (await broker.AckAsync(subscription, [acked.AckId], Timeout)).ShouldBe([acked.AckId]);
        await PublishAsync(broker, topic, Body("ready-1"));
        await PublishAsync(broker, topic, Body("ready-2"));

        var restarted = await RestartAsync(broker).WaitAsync(Timeout);
        await restarted.DeclareAsync(topology, Timeout);

        var after = await ReceiveAsync(restarted, subscription, 2);
        after.Select(Text).ShouldBe(["ready-1", "ready-2"]);
        after.ShouldAllBe(m => m.Delivery == 1);
        (await restarted.AckAsync(subscription, [.. after.Select(m => m.AckId)], Timeout)).Count.ShouldBe(2);
        (await restarted.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 0), "nothing acked came back");
        await NothingToReceiveAsync(restarted, subscription, "the message acked before the restart is gone for good");
    }

    [Fact]
    public async Task RestartAsync_MessageLeasedBeforeIt_DeliveredAgainOnceTheLeaseEnds()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var topology = new MessageTopology { Topics = [Topic(topic, visibilityTimeout: ShortLease)], Subscriptions = [Subscription(subscription, topic)] };
        var broker = await DeclaredAsync(topology.Topics, topology.Subscriptions);
        var published = await PublishAsync(broker, topic, Body("leased"));
        var leased = await ReceiveOneAsync(broker, subscription);

        var restarted = await RestartAsync(broker).WaitAsync(Timeout);
        await restarted.DeclareAsync(topology, Timeout);

        var again = await ReceiveOneAsync(restarted, subscription);
        again.Id.ShouldBe(published.Id);
        again.Delivery.ShouldBe(2, "the lease from before the restart counted");
        (await restarted.AckAsync(subscription, [leased.AckId], Timeout)).ShouldBeEmpty("a lease that has ended does not ack");
    }

    [Fact]
    public async Task RestartAsync_DeadLetterAndDedupeId_KeptAcrossIt()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var topology = new MessageTopology { Topics = [Topic(topic, maxDeliveries: 1)], Subscriptions = [Subscription(subscription, topic)] };
        var broker = await DeclaredAsync(topology.Topics, topology.Subscriptions);
        var first = await broker.PublishAsync(topic, Message(Body("once"), dedupeId: "m-1"), Timeout);
        var received = await ReceiveOneAsync(broker, subscription);
        (await broker.NackAsync(subscription, received.AckId, null, "bad", Timeout)).ShouldBeTrue();
        await StatsEventuallyAsync(broker, subscription, new SubscriptionStats(0, 0, 1));

        var restarted = await RestartAsync(broker).WaitAsync(Timeout);
        await restarted.DeclareAsync(topology, Timeout);

        (await restarted.PublishAsync(topic, Message(Body("again"), dedupeId: "m-1"), Timeout)).ShouldBe(new PublishResult(first.Id, Duplicate: true));
        (await restarted.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(0, 0, 1));
        (await restarted.RequeueAsync(subscription, [first.Id], Timeout)).ShouldBe(1);
        Text(await ReceiveOneAsync(restarted, subscription)).ShouldBe("once");
    }
}
