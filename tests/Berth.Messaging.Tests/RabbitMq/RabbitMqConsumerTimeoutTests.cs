using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq;
using Berth.Testing;

namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>
/// RabbitMQ closes a channel whose oldest unacked delivery is older than its consumer timeout. The tests shorten it to 3 s
/// (checked every 500 ms) and hold deliveries well past it: a lease and a key's held-back message.
/// </summary>
[RequiresRabbitMq]
[DisruptsRabbitMq]
[Collection(RabbitMqServerGroup.Name)]
public sealed class RabbitMqConsumerTimeoutTests : IAsyncLifetime
{
    private const int ConsumerTimeoutMs = 3000;

    private readonly CancellationTokenSource _timeout = new(TestTimeouts.Slow);
    private RabbitMqHarness? _harness;

    private CancellationToken Timeout => _timeout.Token;

    public async Task InitializeAsync()
    {
        await RabbitMqServer.SetConsumerTimeoutAsync(ConsumerTimeoutMs, checkEveryMs: 500);
        _harness = await RabbitMqHarness.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await RabbitMqServer.SetConsumerTimeoutAsync(1_800_000, checkEveryMs: 60_000);
        if (_harness is not null)
        {
            await _harness.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Slow);
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task AckAsync_HeldPastTheConsumerTimeoutWithRetakes_LeaseAndHeldBackMessageKept()
    {
        var (broker, subscription, received) = await LeasedAsync(retakeHeldAfter: TimeSpan.FromSeconds(1));

        await HoldPastTheConsumerTimeoutAsync(broker);

        (await broker.AckAsync(subscription, [.. received.Select(m => m.AckId)], Timeout)).Count.ShouldBe(2, "both leases outlived the consumer timeout");
        var next = (await broker.ReceiveAsync(subscription, 10, Timeout)).Single();
        next.Body!.GetValue<string>().ShouldBe("k1-2", "the held-back message kept its place behind k1-1");
        next.Delivery.ShouldBe(1);
    }

    [Fact]
    public async Task AckAsync_HeldPastTheConsumerTimeoutWithoutRetakes_LeasesLostAsRabbitMqClosedTheChannel()
    {
        var (broker, subscription, received) = await LeasedAsync(retakeHeldAfter: TimeSpan.FromHours(12));

        await HoldPastTheConsumerTimeoutAsync(broker);

        (await broker.AckAsync(subscription, [.. received.Select(m => m.AckId)], Timeout)).ShouldBeEmpty(
            "without retakes RabbitMQ closed the channel and requeued what it held: what the retakes prevent");
        (await broker.ReceiveAsync(subscription, 10, Timeout)).Select(m => m.Body!.GetValue<string>()).ShouldBe(["k1-1", "k2-1"], ignoreOrder: true);
    }

    private async Task<(RabbitMqMessageBroker Broker, string Subscription, IReadOnlyList<ReceivedMessage> Received)> LeasedAsync(TimeSpan retakeHeldAfter)
    {
        var (topic, subscription) = ($"t-{Guid.NewGuid():N}"[..20], $"s-{Guid.NewGuid():N}"[..20]);
        var broker = _harness!.OpenBroker(retakeHeldAfter: retakeHeldAfter);
        await broker.DeclareAsync(new MessageTopology
        {
            Topics = [new TopicSpec { Name = topic, VisibilityTimeout = TimeSpan.FromMinutes(5), Ordering = MessageOrdering.Key }],
            Subscriptions = [new SubscriptionSpec { Name = subscription, Topic = topic }],
        }, Timeout);
        foreach (var (body, key) in new[] { ("k1-1", "k1"), ("k1-2", "k1"), ("k2-1", "k2") })
        {
            await broker.PublishAsync(topic, new OutgoingMessage { Body = body, Key = key, Publisher = "token:test" }, Timeout);
        }

        var received = await broker.ReceiveAsync(subscription, 10, Timeout);
        received.Select(m => m.Body!.GetValue<string>()).ShouldBe(["k1-1", "k2-1"]);
        return (broker, subscription, received);
    }

    /// <summary>
    /// Lets three consumer timeouts pass while sweeping as the server does every few seconds. Time passing is what is under
    /// test here, so the wait is for the clock, not for an event.
    /// </summary>
    private Task HoldPastTheConsumerTimeoutAsync(RabbitMqMessageBroker broker)
    {
        var start = Environment.TickCount64;
        return Eventually.TrueAsync(
            async token =>
            {
                await broker.SweepAsync(token);
                return Environment.TickCount64 - start > 3 * ConsumerTimeoutMs;
            },
            "three consumer timeouts to pass",
            cancellationToken: Timeout);
    }
}
