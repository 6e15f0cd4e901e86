using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Messaging.Tests.Embedded;

/// <summary>Group commit: many concurrent callers, each answered with its own outcome, and nothing half-written.</summary>
public sealed class SqliteBrokerWriterTests : IAsyncLifetime
{
    private EmbeddedDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await EmbeddedDatabase.CreateAsync();
        await using var connection = await _database.Connections.OpenAsync(Token());
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE scratch (value INTEGER NOT NULL)";
        await command.ExecuteNonQueryAsync(Token());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task RunAsync_OnePieceOfManyThrows_OnlyItsCallerFailsAndOnlyItsWritesAreUndone()
    {
        await using var writer = new SqliteBrokerWriter(_database.Sqlite, TimeProvider.System);

        var calls = Enumerable.Range(0, 200).Select(i => writer.WriteAsync(async transaction =>
        {
            await transaction.ExecuteAsync("INSERT INTO scratch (value) VALUES (@Value)", new { Value = i });
            return i % 50 == 7 ? throw new InvalidOperationException($"piece {i} fails") : i;
        }, Token())).ToList();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TestTimeouts.Quick);

        var failed = calls.Select((call, i) => (call, i)).Where(c => c.call.IsFaulted).ToList();
        failed.Select(f => f.i).ShouldBe([7, 57, 107, 157]);
        foreach (var (call, i) in failed)
        {
            call.Exception!.InnerException!.Message.ShouldBe($"piece {i} fails");
        }

        calls.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result).Count().ShouldBe(196);
        (await _database.CountAsync("SELECT COUNT(*) FROM scratch")).ShouldBe(196);
        (await _database.CountAsync("SELECT COUNT(*) FROM scratch WHERE value % 50 = 7")).ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_CallerAnswered_WriteAlreadyVisibleToOtherConnections()
    {
        await using var writer = new SqliteBrokerWriter(_database.Sqlite, TimeProvider.System);

        for (var i = 0; i < 20; i++)
        {
            await writer.WriteAsync(transaction => transaction.ExecuteAsync("INSERT INTO scratch (value) VALUES (@Value)", new { Value = i }), Token());

            (await _database.CountAsync("SELECT COUNT(*) FROM scratch")).ShouldBe(i + 1, "an answer comes only after the commit");
        }
    }

    [Fact]
    public async Task RunAsync_AfterDispose_RefusedWithoutWriting()
    {
        var writer = new SqliteBrokerWriter(_database.Sqlite, TimeProvider.System);
        await writer.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => writer.WriteAsync(transaction => transaction.ExecuteAsync("INSERT INTO scratch (value) VALUES (1)", null), Token()));
    }

    [Fact]
    public async Task PublishAsync_ManyConcurrentPublishers_EveryMessageStoredOnceWithItsOwnId()
    {
        var broker = _database.OpenBroker();
        await broker.DeclareAsync(new MessageTopology
        {
            Topics = [new TopicSpec { Name = "t", VisibilityTimeout = TimeSpan.FromMinutes(5) }],
            Subscriptions = [new SubscriptionSpec { Name = "s", Topic = "t" }],
        }, Token());

        var published = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() =>
            broker.PublishAsync("t", new OutgoingMessage { Body = JsonValue.Create(i), Publisher = "token:test" }, Token()))));

        published.Select(p => p.Id).Distinct().Count().ShouldBe(300);
        var received = new List<ReceivedMessage>();
        while (received.Count < 300)
        {
            var batch = await broker.ReceiveAsync("s", MessageLimits.MaxReceive, Token());
            batch.ShouldNotBeEmpty("every committed message can be received at once");
            received.AddRange(batch);
        }

        received.Select(m => m.Body!.GetValue<int>()).Order().ShouldBe(Enumerable.Range(0, 300));
        received.Select(m => m.Id).ShouldBe(published.Select(p => p.Id), ignoreOrder: true);
        (await broker.AckAsync("s", [.. received.Select(m => m.AckId)], Token())).Count.ShouldBe(300);
    }

    private static CancellationToken Token() => TestTimeouts.Token(TestTimeouts.Quick);
}
