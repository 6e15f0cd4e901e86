using Berth.Core.Messaging;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The topic store's contract (applied topics and subscriptions), run on each engine by the classes at the end of the file.</summary>
public abstract class TopicStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlTopicStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _store = new SqlTopicStore(_database.Database, _database.Clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ApplyTopicAsync_NewSameChanged_CreatedUnchangedUpdated()
    {
        var spec = new TopicSpec { Name = "orders", Ordering = MessageOrdering.Key, DeadLetter = "orders-dead", VisibilityTimeout = TimeSpan.FromSeconds(45) };

        (await _store.ApplyTopicAsync(spec, Token())).ShouldBe(ApplyOutcome.Created);
        (await _store.ApplyTopicAsync(spec with { }, Token())).ShouldBe(ApplyOutcome.Unchanged);
        (await _store.ApplyTopicAsync(spec with { MaxDeliveries = 9 }, Token())).ShouldBe(ApplyOutcome.Updated);

        var stored = (await _store.ListTopicsAsync(Token())).Single();
        stored.ShouldBe(spec with { MaxDeliveries = 9 });
    }

    [Fact]
    public async Task ApplySubscriptionAsync_FilterRetryAndDelivery_ReadBackAsApplied()
    {
        var spec = new SubscriptionSpec
        {
            Name = "billing",
            Topic = "orders",
            Filter = new Dictionary<string, string> { ["kind"] = "order", ["region"] = "eu" },
            Delivery = new DeliverySpec { Push = new PushDeliverySpec { Agent = "biller", Path = "/in", Concurrency = 2 } },
            Retry = new RedeliverySpec { Backoff = BackoffKind.Linear, InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(30) },
        };

        (await _store.ApplySubscriptionAsync(spec, Token())).ShouldBe(ApplyOutcome.Created);
        (await _store.ApplySubscriptionAsync(spec with { Filter = new Dictionary<string, string> { ["kind"] = "order", ["region"] = "eu" } }, Token())).ShouldBe(ApplyOutcome.Unchanged);

        var stored = (await _store.ListSubscriptionsAsync(Token())).Single();
        stored.Topic.ShouldBe("orders");
        stored.Filter.ShouldBe(spec.Filter, ignoreOrder: true);
        stored.Delivery.Push.ShouldBe(spec.Delivery.Push);
        stored.Retry.ShouldBe(spec.Retry);
        (await _store.ApplySubscriptionAsync(spec with { Topic = "refunds" }, Token())).ShouldBe(ApplyOutcome.Updated);
        (await _database.CountAsync("SELECT COUNT(*) FROM subscriptions WHERE topic = 'refunds'")).ShouldBe(1);
    }

    [Fact]
    public async Task ListAsync_SeveralApplied_OrderedByName()
    {
        foreach (var name in new[] { "zeta", "alpha", "agent/mia", "mid" })
        {
            await _store.ApplyTopicAsync(new TopicSpec { Name = name }, Token());
            await _store.ApplySubscriptionAsync(new SubscriptionSpec { Name = name, Topic = name }, Token());
        }

        (await _store.ListTopicsAsync(Token())).Select(t => t.Name).ShouldBe(["agent/mia", "alpha", "mid", "zeta"]);
        (await _store.ListSubscriptionsAsync(Token())).Select(s => s.Name).ShouldBe(["agent/mia", "alpha", "mid", "zeta"]);
    }

    [Fact]
    public async Task DeleteAsync_KnownThenAgain_TrueThenFalse()
    {
        await _store.ApplyTopicAsync(new TopicSpec { Name = "orders" }, Token());
        await _store.ApplySubscriptionAsync(new SubscriptionSpec { Name = "billing", Topic = "orders" }, Token());

        (await _store.DeleteSubscriptionAsync("billing", Token())).ShouldBeTrue();
        (await _store.DeleteSubscriptionAsync("billing", Token())).ShouldBeFalse();
        (await _store.DeleteTopicAsync("orders", Token())).ShouldBeTrue();
        (await _store.DeleteTopicAsync("orders", Token())).ShouldBeFalse();
        (await _store.ListTopicsAsync(Token())).ShouldBeEmpty();
        (await _store.ListSubscriptionsAsync(Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListTopicsAsync_SpecNamingAnotherTopic_ThrowsStoredDataException()
    {
        await _store.ApplyTopicAsync(new TopicSpec { Name = "orders" }, Token());
        await _database.ExecuteAsync("""UPDATE topics SET spec = REPLACE(spec, '"orders"', '"other"')""");

        (await Should.ThrowAsync<StoredDataException>(() => _store.ListTopicsAsync(Token()))).Message.ShouldContain("'orders'");
        (await _store.ApplyTopicAsync(new TopicSpec { Name = "orders" }, Token())).ShouldBe(ApplyOutcome.Updated, "applying again repairs the row");
        (await _store.ListTopicsAsync(Token())).Single().Name.ShouldBe("orders");
    }

    private static CancellationToken Token() => TestTimeouts.Token(TestTimeouts.Quick);
}

public sealed class SqliteTopicStoreTests() : TopicStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresTopicStoreTests() : TopicStoreTests(StoreEngine.Postgres);
