using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Messaging.Tests.Embedded;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Messaging.Tests.Postgres;

/// <summary>
/// Several Berth servers sharing one PostgreSQL database: two embedded brokers, each with its own connection pool, declared
/// the same topology, as two servers are after reading the same topics from the store.
/// </summary>
[RequiresPostgres]
public sealed class PostgresBrokerServersTests : IAsyncLifetime
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _timeout = new(TestTimeouts.Slow);
    private EmbeddedDatabase _database = null!;
    private EmbeddedMessageBroker _first = null!;
    private EmbeddedMessageBroker _second = null!;

    private CancellationToken Timeout => _timeout.Token;

    public async Task InitializeAsync()
    {
        _database = await EmbeddedDatabase.CreateAsync(StoreEngine.Postgres);
        _first = _database.OpenServer();
        _second = _database.OpenServer();
        var topology = new MessageTopology
        {
            Topics =
            [
                new TopicSpec { Name = "jobs", VisibilityTimeout = LongLease, DedupeWindow = TimeSpan.FromMinutes(10) },
                new TopicSpec { Name = "orders", VisibilityTimeout = LongLease, Ordering = MessageOrdering.Key },
            ],
            Subscriptions = [new SubscriptionSpec { Name = "workers", Topic = "jobs" }, new SubscriptionSpec { Name = "billing", Topic = "orders" }],
        };
        await _first.DeclareAsync(topology, Timeout);
        await _second.DeclareAsync(topology, Timeout);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task ReceiveAsync_PublishedOnTheOtherServer_Received()
    {
        var published = await _first.PublishAsync("jobs", Message(1), Timeout);

        var received = (await _second.ReceiveAsync("workers", 10, Timeout)).ShouldHaveSingleItem();

        received.Id.ShouldBe(published.Id);
        (await _first.ReceiveAsync("workers", 10, Timeout)).ShouldBeEmpty("the second server holds the lease");
    }

    [Fact]
    public async Task ReceiveAsync_ConcurrentOnBothServers_EveryMessageLeasedExactlyOnce()
    {
        const int count = 300;
        var published = await Task.WhenAll(Enumerable.Range(0, count).Select(i => (i % 2 == 0 ? _first : _second).PublishAsync("jobs", Message(i), Timeout)));
        var leased = new ConcurrentBag<ReceivedMessage>();

        // Three receivers per server, each taking a few at a time until every message is out: they race for the same oldest rows.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(r => Task.Run(async () =>
        {
            var broker = r % 2 == 0 ? _first : _second;
            while (leased.Count < count && !Timeout.IsCancellationRequested)
            {
                foreach (var message in await broker.ReceiveAsync("workers", 7, Timeout))
                {
                    leased.Add(message);
                }
            }
        }, Timeout)));

        leased.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("no row is leased by two receives");
        leased.Select(m => m.Id).ShouldBe(published.Select(p => p.Id), ignoreOrder: true);
        (await _first.ReceiveAsync("workers", MessageLimits.MaxReceive, Timeout)).ShouldBeEmpty("every message is leased until acked");
        var acks = leased.Select((m, i) => (m, i)).GroupBy(x => x.i % 2, x => x.m.AckId);
        var acked = 0;
        foreach (var group in acks)
        {
            foreach (var chunk in group.Chunk(MessageLimits.MaxReceive))
            {
                acked += (await (group.Key == 0 ? _second : _first).AckAsync("workers", chunk, Timeout)).Count;
            }
        }

        acked.ShouldBe(count, "an ack is taken by either server");
        (await _database.CountAsync("SELECT COUNT(*) FROM message_deliveries")).ShouldBe(0);
    }

    [Fact]
    public async Task AckAsync_OnTheServerThatDidNotLease_AckedOnceAndRefusedAfterwardOnBoth()
    {
        await _first.PublishAsync("jobs", Message(1), Timeout);
        var received = (await _first.ReceiveAsync("workers", 1, Timeout)).Single();

        (await _second.AckAsync("workers", [received.AckId], Timeout)).ShouldBe([received.AckId]);

        (await _first.AckAsync("workers", [received.AckId], Timeout)).ShouldBeEmpty("the row is gone");
        (await _second.AckAsync("workers", [received.AckId], Timeout)).ShouldBeEmpty();
        (await _first.NackAsync("workers", received.AckId, null, null, Timeout)).ShouldBeFalse();
    }

    [Fact]
    public async Task NackAsync_OnTheServerThatDidNotLease_GivesItBackAndTheOldAckIdIsRefused()
    {
        await _first.PublishAsync("jobs", Message(1), Timeout);
        var first = (await _first.ReceiveAsync("workers", 1, Timeout)).Single();

        (await _second.NackAsync("workers", first.AckId, TimeSpan.Zero, "retry elsewhere", Timeout)).ShouldBeTrue();

        var again = (await _first.ReceiveAsync("workers", 1, Timeout)).Single();
        again.Delivery.ShouldBe(2);
        (await _second.AckAsync("workers", [first.AckId], Timeout)).ShouldBeEmpty("the first lease was given back");
        (await _second.AckAsync("workers", [again.AckId], Timeout)).ShouldBe([again.AckId]);
    }

    [Fact]
    public async Task PublishAsync_SameMessageIdOnBothServersAtOnce_StoredOnce()
    {
        for (var round = 0; round < 20; round++)
        {
            var dedupeId = $"job-{round}";
            var results = await Task.WhenAll(
                Task.Run(() => _first.PublishAsync("jobs", Message(round) with { DedupeId = dedupeId }, Timeout), Timeout),
                Task.Run(() => _second.PublishAsync("jobs", Message(round) with { DedupeId = dedupeId }, Timeout), Timeout));

            results.Select(r => r.Id).Distinct().ShouldHaveSingleItem($"round {round}: both publishes name the one message stored");
            results.Count(r => !r.Duplicate).ShouldBe(1, $"round {round}: one publish stored it, the other was its duplicate");
        }

        (await _database.CountAsync("SELECT COUNT(*) FROM messages")).ShouldBe(20);
    }

    [Fact]
    public async Task ReceiveAsync_KeyOrderedTopicOnBothServers_EachKeyDeliveredInPublishOrder()
    {
        const int perKey = 15;
        string[] keys = ["a", "b", "c"];
        var published = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < perKey; i++)
        {
            foreach (var key in keys)
            {
                var result = await (i % 2 == 0 ? _first : _second).PublishAsync("orders", Message(i) with { Key = key }, Timeout);
                (published.TryGetValue(key, out var ids) ? ids : published[key] = []).Add(result.Id);
            }
        }

        // A receiver notes what it got, then acks it: the next message of a key can only be leased after that ack, so the notes
        // of one key come in publish order unless two of its messages were leased at once.
        var noted = new ConcurrentQueue<ReceivedMessage>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var broker = r % 2 == 0 ? _first : _second;
            while (noted.Count < perKey * keys.Length && !Timeout.IsCancellationRequested)
            {
                var received = await broker.ReceiveAsync("billing", 5, Timeout);
                foreach (var message in received)
                {
                    noted.Enqueue(message);
                }

                await (r % 2 == 0 ? _second : _first).AckAsync("billing", [.. received.Select(m => m.AckId)], Timeout);
            }
        }, Timeout)));

        foreach (var key in keys)
        {
            noted.Where(m => m.Key == key).Select(m => m.Id).ShouldBe(published[key], $"key {key} in publish order, each once");
        }
    }

    [Fact]
    public async Task SubscribeAsync_PublishOnTheOtherServer_AnnouncedWithItsTopic()
    {
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = await _second.SubscribeAsync(topic => announced.TrySetResult(topic), Timeout);

        await _first.PublishAsync("orders", Message(1) with { Key = "k" }, Timeout);

        (await announced.Task.WaitAsync(Timeout)).ShouldBe("orders", "the second server hears the first one's publish through LISTEN");
    }

    private static OutgoingMessage Message(int n) => new() { Body = new JsonObject { ["n"] = n }, Publisher = "token:servers" };
}
