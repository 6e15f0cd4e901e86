using Berth.Core.Messaging;
using Berth.Testing;

namespace Berth.Messaging.Tests.Contract;

/// <summary>Ordering by key: one message of a key at a time, in publish order; other keys flow.</summary>
public abstract partial class MessageBrokerContract
{
    [Fact]
    public async Task ReceiveAsync_OrderedByKeyFirstLeased_KeysNextWithheldUntilAckedWhileOtherKeysFlow()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, ordering: MessageOrdering.Key)], [Subscription(subscription, topic)]);
        await PublishAsync(broker, topic, Body("k1-1"), key: "k1");
        await PublishAsync(broker, topic, Body("k1-2"), key: "k1");
        await PublishAsync(broker, topic, Body("k2-1"), key: "k2");
        await PublishAsync(broker, topic, Body("none"));

        var first = await ReceiveAsync(broker, subscription, 3);

        first.Select(Text).ShouldBe(["k1-1", "k2-1", "none"], ignoreOrder: true);
        await NothingToReceiveAsync(broker, subscription, "k1-2 waits while k1-1 is leased");
        await broker.AckAsync(subscription, [first.Single(m => Text(m) == "k1-1").AckId], Timeout);
        Text(await ReceiveOneAsync(broker, subscription)).ShouldBe("k1-2");
    }

    [Fact]
    public async Task ReceiveAsync_OrderedByKeyFirstNackedWithDelay_KeysNextWithheldWhileOtherKeysFlow()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, ordering: MessageOrdering.Key)], [Subscription(subscription, topic)]);
        await PublishAsync(broker, topic, Body("k1-1"), key: "k1");
        await PublishAsync(broker, topic, Body("k1-2"), key: "k1");
        var first = await ReceiveOneAsync(broker, subscription);
        Text(first).ShouldBe("k1-1");

        (await broker.NackAsync(subscription, first.AckId, TimeSpan.FromMinutes(10), "retry later", Timeout)).ShouldBeTrue();
        await PublishAsync(broker, topic, Body("k2-1"), key: "k2");

        Text(await ReceiveOneAsync(broker, subscription)).ShouldBe("k2-1");
        await NothingToReceiveAsync(broker, subscription, "k1-2 waits while k1-1 waits for its redelivery");
        (await broker.StatsAsync(subscription, Timeout)).ShouldBe(new SubscriptionStats(2, 1, 0));
    }

    [Fact]
    public async Task ReceiveAsync_OrderedByKeyFirstDead_KeysNextNoLongerWithheld()
    {
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync(
            [Topic(topic, maxDeliveries: 1, ordering: MessageOrdering.Key)], [Subscription(subscription, topic)]);
        await PublishAsync(broker, topic, Body("k1-1"), key: "k1");
        await PublishAsync(broker, topic, Body("k1-2"), key: "k1");
        var first = await ReceiveOneAsync(broker, subscription);

        (await broker.NackAsync(subscription, first.AckId, null, "poison", Timeout)).ShouldBeTrue();

        Text(await ReceiveOneAsync(broker, subscription)).ShouldBe("k1-2", "a dead message does not hold its key back");
    }

    [Fact]
    public async Task ReceiveAsync_OrderedByKeyFourConcurrentConsumers_EachKeyDeliveredOneAtATimeInPublishOrder()
    {
        const int Keys = 5;
        const int PerKey = 8;
        var (topic, subscription) = (NewName("t"), NewName("s"));
        var broker = await DeclaredAsync([Topic(topic, ordering: MessageOrdering.Key)], [Subscription(subscription, topic)]);
        for (var n = 0; n < PerKey; n++)
        {
            for (var k = 0; k < Keys; k++)
            {
                await PublishAsync(broker, topic, Body($"{n}"), key: $"k{k}");
            }
        }

        var gate = new Lock();
        var inFlight = new HashSet<string>(StringComparer.Ordinal);
        var delivered = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var overlaps = new List<string>();
        var acked = 0;
        async Task ConsumeAsync()
        {
            while (Volatile.Read(ref acked) < Keys * PerKey)
            {
                var batch = await broker.ReceiveAsync(subscription, 3, Timeout);
                if (batch.Count == 0)
                {
                    // Poll interval of an idle consumer, as a pull client has; not a synchronisation.
                    await Task.Delay(TimeSpan.FromMilliseconds(10), Timeout);
                    continue;
                }

                lock (gate)
                {
                    foreach (var message in batch)
                    {
                        if (!inFlight.Add(message.Key!))
                        {
                            overlaps.Add($"{message.Key}:{Text(message)}");
                        }

                        delivered.TryAdd(message.Key!, []);
                        delivered[message.Key!].Add(int.Parse(Text(message), System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                foreach (var message in batch)
                {
                    // Out of the in-flight set before the ack: once the ack commits, the key's next message may go to anyone.
                    lock (gate)
                    {
                        inFlight.Remove(message.Key!);
                    }

                    (await broker.AckAsync(subscription, [message.AckId], Timeout)).ShouldBe([message.AckId]);
                    Interlocked.Increment(ref acked);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ConsumeAsync))).WaitAsync(TestTimeouts.Slow);

        overlaps.ShouldBeEmpty("a key's next message is not delivered while an earlier one is leased");
        delivered.Keys.Order().ShouldBe(Enumerable.Range(0, Keys).Select(k => $"k{k}"));
        foreach (var (key, order) in delivered)
        {
            order.ShouldBe(Enumerable.Range(0, PerKey), $"key {key} is delivered in publish order, each message once");
        }
    }
}
