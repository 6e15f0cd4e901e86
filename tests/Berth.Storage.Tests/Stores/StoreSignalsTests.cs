using System.Threading.Channels;
using Berth.Core.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// Store signals, run on each engine by the classes at the end: what one server sends on a channel reaches the listeners of
/// that channel on every server sharing the store (on SQLite the one server owning the file), and no other channel's.
/// </summary>
public abstract class StoreSignalsTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly List<StoreSignals> _opened = [];
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(engine);

    public async Task DisposeAsync()
    {
        foreach (var signals in _opened)
        {
            await signals.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>Two servers' signals: on SQLite, where one server owns the file, both are the same in-process signals.</summary>
    private (StoreSignals Sender, StoreSignals Listener) TwoServers()
    {
        if (engine == StoreEngine.Sqlite)
        {
            var local = new InProcessStoreSignals();
            _opened.Add(local);
            return (local, local);
        }

        var servers = Enumerable.Range(0, 2)
            .Select(_ => (StoreSignals)new PostgresStoreSignals((PostgresDatabase)_database.OpenServer(), TimeProvider.System, NullLogger<PostgresStoreSignals>.Instance))
            .ToList();
        _opened.AddRange(servers);
        return (servers[0], servers[1]);
    }

    [Fact]
    public async Task Notify_ReachesTheListenersOfItsChannelOnEveryServer_InOrder()
    {
        var (sender, listener) = TwoServers();
        var requests = Channel.CreateUnbounded<string>();
        var messages = Channel.CreateUnbounded<string>();
        using var onRequests = await listener.ListenAsync(StoreChannels.Requests, id => requests.Writer.TryWrite(id), TestTimeouts.Token());
        using var onMessages = await listener.ListenAsync(StoreChannels.Messages, topic => messages.Writer.TryWrite(topic), TestTimeouts.Token());

        await sender.NotifyAsync(StoreChannels.Requests, "r1", TestTimeouts.Token());
        await sender.NotifyAsync(StoreChannels.Messages, "orders", TestTimeouts.Token());
        await sender.NotifyAsync(StoreChannels.Requests, "r2", TestTimeouts.Token());

        (await requests.Reader.ReadAsync(TestTimeouts.Token())).ShouldBe("r1");
        (await requests.Reader.ReadAsync(TestTimeouts.Token())).ShouldBe("r2");
        (await messages.Reader.ReadAsync(TestTimeouts.Token())).ShouldBe("orders");
        requests.Reader.TryRead(out _).ShouldBeFalse("a payload is heard once, on its own channel");
    }

    [Fact]
    public async Task Listen_Disposed_HearsNoMore()
    {
        var (sender, listener) = TwoServers();
        var heard = Channel.CreateUnbounded<string>();
        var stays = Channel.CreateUnbounded<string>();
        using var staying = await listener.ListenAsync(StoreChannels.Requests, id => stays.Writer.TryWrite(id), TestTimeouts.Token());
        var leaving = await listener.ListenAsync(StoreChannels.Requests, id => heard.Writer.TryWrite(id), TestTimeouts.Token());

        leaving.Dispose();
        await sender.NotifyAsync(StoreChannels.Requests, "after", TestTimeouts.Token());

        (await stays.Reader.ReadAsync(TestTimeouts.Token())).ShouldBe("after", "the signal was sent and heard");
        heard.Reader.TryRead(out _).ShouldBeFalse("a disposed registration hears nothing");
    }

    [Fact]
    public async Task Notify_UnknownChannelOrLongPayload_IsRefused()
    {
        var (sender, _) = TwoServers();

        (await Should.ThrowAsync<ArgumentException>(() => sender.NotifyAsync("berth_other; DROP TABLE requests", "x", TestTimeouts.Token())))
            .Message.ShouldContain(StoreChannels.Requests);
        await Should.ThrowAsync<ArgumentException>(() => sender.NotifyAsync(StoreChannels.Requests, new string('x', StoreChannels.MaxPayloadLength + 1), TestTimeouts.Token()));
    }
}

public sealed class SqliteStoreSignalsTests() : StoreSignalsTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresStoreSignalsTests() : StoreSignalsTests(StoreEngine.Postgres);
