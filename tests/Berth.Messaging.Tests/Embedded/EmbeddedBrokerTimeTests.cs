using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Core.Workflows;
using Berth.Storage.Sql;
using Berth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Messaging.Tests.Embedded;

/// <summary>What the embedded broker does as time passes, on a fake clock: backoff, retention, dedupe windows, and what listings say meanwhile.</summary>
public abstract class EmbeddedBrokerTimeTests(StoreEngine engine) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private EmbeddedDatabase _database = null!;
    private EmbeddedMessageBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _database = await EmbeddedDatabase.CreateAsync(engine, _clock);
        _broker = _database.OpenBroker();
        await _broker.DeclareAsync(new MessageTopology
        {
            Topics =
            [
                new TopicSpec { Name = "orders", VisibilityTimeout = Lease, MaxDeliveries = 3, Retention = TimeSpan.FromHours(1), DedupeWindow = TimeSpan.FromMinutes(10) },
            ],
            Subscriptions =
            [
                new SubscriptionSpec
                {
                    Name = "billing",
                    Topic = "orders",
                    Retry = new RedeliverySpec { Backoff = BackoffKind.Exponential, InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(1) },
                },
            ],
        }, Token());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ReceiveAsync_LeaseEnded_WaitsTheBackoffThenDeliversAgainAndListingsSaySo()
    {
        await PublishAsync("a");
        var first = (await _broker.ReceiveAsync("billing", 1, Token())).Single();

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));

        (await _broker.ReceiveAsync("billing", 1, Token())).ShouldBeEmpty("the backoff after the first delivery is 10s from the lease's end");
        var entry = (await _broker.ListAsync(new MessageQuery { Subscription = "billing" }, Token())).Single();
        entry.State.ShouldBe(DeliveryState.Ready);
        entry.NextDeliveryAt.ShouldBe(first.LeaseExpiresAt + TimeSpan.FromSeconds(10));
        entry.LastError.ShouldNotBeNull().ShouldContain("lease expired");
        (await _broker.StatsAsync("billing", Token())).ShouldBe(new SubscriptionStats(1, 0, 0));
        _clock.Advance(TimeSpan.FromSeconds(9));
        var second = (await _broker.ReceiveAsync("billing", 1, Token())).Single();
        second.Delivery.ShouldBe(2);
        second.LeaseExpiresAt.ShouldBe(_clock.GetUtcNow() + Lease);
    }

    [Fact]
    public async Task NackAsync_NoDelay_WaitsTheSubscriptionsBackoffGrowingWithEachDelivery()
    {
        await PublishAsync("a");
        var first = (await _broker.ReceiveAsync("billing", 1, Token())).Single();

        (await _broker.NackAsync("billing", first.AckId, null, null, Token())).ShouldBeTrue();

        (await EntryAsync()).NextDeliveryAt.ShouldBe(_clock.GetUtcNow() + TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(10));
        var second = (await _broker.ReceiveAsync("billing", 1, Token())).Single();
        (await _broker.NackAsync("billing", second.AckId, null, "again", Token())).ShouldBeTrue();
        (await EntryAsync()).NextDeliveryAt.ShouldBe(_clock.GetUtcNow() + TimeSpan.FromSeconds(20), "exponential: twice the initial delay after the second delivery");
    }

    [Fact]
    public async Task ReceiveAsync_LastLeaseEnded_DeadAtOnceWithoutWaitingABackoff()
    {
        await PublishAsync("a");
        for (var delivery = 1; delivery <= 3; delivery++)
        {
            (await _broker.ReceiveAsync("billing", 1, Token())).Single().Delivery.ShouldBe(delivery);
            _clock.Advance(Lease + TimeSpan.FromMinutes(1));
        }

        (await _broker.StatsAsync("billing", Token())).ShouldBe(new SubscriptionStats(0, 0, 1), "the third lease was the last the topic allows");
        (await _broker.ReceiveAsync("billing", 1, Token())).ShouldBeEmpty();
        var dead = await EntryAsync();
        dead.State.ShouldBe(DeliveryState.Dead);
        dead.NextDeliveryAt.ShouldBeNull();
        dead.LastError.ShouldNotBeNull().ShouldContain("after 3 deliveries");
    }

    [Fact]
    public async Task SweepAsync_PastRetention_MessageAndItsDeliveriesDroppedButKeptUntilThen()
    {
        var acked = await PublishAsync("acked");
        var held = await PublishAsync("held");
        var received = await _broker.ReceiveAsync("billing", 1, Token());
        await _broker.AckAsync("billing", [received.Single().AckId], Token());

        _clock.Advance(TimeSpan.FromMinutes(59));
        await _broker.SweepAsync(Token());

        (await _broker.GetAsync(acked.Id, Token())).ShouldNotBeNull("an acked message is kept for the topic's retention").Body!.GetValue<string>().ShouldBe("acked");
        (await _broker.StatsAsync("billing", Token())).Ready.ShouldBe(1);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await _broker.SweepAsync(Token());

        (await _broker.GetAsync(acked.Id, Token())).ShouldBeNull();
        (await _broker.GetAsync(held.Id, Token())).ShouldBeNull("an unacked message goes too once it is older than the retention");
        (await _broker.StatsAsync("billing", Token())).ShouldBe(new SubscriptionStats(0, 0, 0));
        (await _database.CountAsync("SELECT COUNT(*) FROM message_deliveries")).ShouldBe(0);
        (await _database.CountAsync("SELECT COUNT(*) FROM messages")).ShouldBe(0);
    }

    [Fact]
    public async Task PublishAsync_SameMessageIdAfterTheWindow_StoredAgainAndTheSweepForgetsOldIds()
    {
        var first = await _broker.PublishAsync("orders", Message("a", dedupeId: "order-1"), Token());
        _clock.Advance(TimeSpan.FromMinutes(9));
        (await _broker.PublishAsync("orders", Message("b", dedupeId: "order-1"), Token())).ShouldBe(new PublishResult(first.Id, true));

        _clock.Advance(TimeSpan.FromMinutes(2));

        var again = await _broker.PublishAsync("orders", Message("c", dedupeId: "order-1"), Token());
        again.Duplicate.ShouldBeFalse("the window is measured from the first publish");
        (await _broker.PublishAsync("orders", Message("d", dedupeId: "order-1"), Token())).ShouldBe(new PublishResult(again.Id, true));
        await _broker.PublishAsync("orders", Message("e", dedupeId: "order-2"), Token());
        _clock.Advance(TimeSpan.FromMinutes(11));
        await _broker.SweepAsync(Token());
        (await _database.CountAsync("SELECT COUNT(*) FROM message_dedupe")).ShouldBe(0);
    }

    [Fact]
    public async Task SweepAsync_LastLeaseEndedUnreceived_DeadWithoutAnotherReceive()
    {
        await _broker.DeclareAsync(new MessageTopology
        {
            Topics = [new TopicSpec { Name = "jobs", VisibilityTimeout = Lease, MaxDeliveries = 1, DeadLetter = "jobs-dead" }, new TopicSpec { Name = "jobs-dead" }],
            Subscriptions = [new SubscriptionSpec { Name = "worker", Topic = "jobs" }, new SubscriptionSpec { Name = "graveyard", Topic = "jobs-dead" }],
        }, Token());
        await _broker.PublishAsync("jobs", Message("job"), Token());
        await _broker.ReceiveAsync("worker", 1, Token());
        _clock.Advance(Lease);

        await _broker.SweepAsync(Token());

        (await _database.CountAsync("SELECT COUNT(*) FROM message_deliveries WHERE subscription = 'worker' AND state = 'dead'")).ShouldBe(1);
        var copy = (await _broker.ReceiveAsync("graveyard", 10, Token())).Single();
        copy.Attributes[DeadLetterAttributes.Subscription].ShouldBe("worker");
        copy.Publisher.ShouldBe(DeadLetterAttributes.Publisher);
        await _broker.SweepAsync(Token());
        (await _broker.StatsAsync("graveyard", Token())).Leased.ShouldBe(1, "a row is dead-lettered once");
    }

    private static CancellationToken Token() => TestTimeouts.Token(TestTimeouts.Quick);

    private static OutgoingMessage Message(string text, string? dedupeId = null) =>
        new() { Body = JsonValue.Create(text), Publisher = "token:test", DedupeId = dedupeId };

    private Task<PublishResult> PublishAsync(string text) => _broker.PublishAsync("orders", Message(text), Token());

    private async Task<MessageEntry> EntryAsync() => (await _broker.ListAsync(new MessageQuery { Subscription = "billing" }, Token())).Single();
}

public sealed class SqliteBrokerTimeTests() : EmbeddedBrokerTimeTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresBrokerTimeTests() : EmbeddedBrokerTimeTests(StoreEngine.Postgres);
