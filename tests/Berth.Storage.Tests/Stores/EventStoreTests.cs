using Berth.Core.Agents;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The event store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class EventStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly string _name = TestDatabase.NewName();
    private readonly string _other = TestDatabase.NewName();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        await _database.Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await _database.Agents.ApplyAsync(TestDatabase.Spec(_other), TestTimeouts.Token());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    internal static AgentEvent Event(string agentName, string reason, TimeProvider clock) =>
        new() { Time = clock.GetUtcNow(), AgentName = agentName, Reason = reason, Message = $"{reason} {agentName}" };

    [Fact]
    public async Task AppendAsync_SeveralEvents_IncreasingIdsAndFieldsRoundTrip()
    {
        var first = await _database.Events.AppendAsync(Event(_name, "Applied", _database.Clock), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromSeconds(1.5));
        var second = await _database.Events.AppendAsync(
            Event(_name, "Failed", _database.Clock) with { InstanceId = $"{_name}-0", Warning = true }, TestTimeouts.Token());

        first.Id.ShouldBeGreaterThan(0);
        second.Id.ShouldBeGreaterThan(first.Id);
        _database.Reopen();
        var stored = await _database.Events.ListAsync(_name, 0, 10, TestTimeouts.Token());
        stored.ShouldBe([first, second]);
        stored[1].Time.ShouldBe(_database.Clock.GetUtcNow());
        stored[1].Time.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task ListAsync_AllAgents_OldestFirstAcrossAgents()
    {
        var a = await _database.Events.AppendAsync(Event(_name, "Applied", _database.Clock), TestTimeouts.Token());
        var b = await _database.Events.AppendAsync(Event(_other, "Applied", _database.Clock), TestTimeouts.Token());
        var c = await _database.Events.AppendAsync(Event(_name, "Started", _database.Clock), TestTimeouts.Token());

        var all = await _database.Events.ListAsync(null, 0, 100, TestTimeouts.Token());
        var mine = await _database.Events.ListAsync(_name, 0, 100, TestTimeouts.Token());

        all.Select(e => e.Id).ShouldBe([a.Id, b.Id, c.Id]);
        mine.Select(e => e.Id).ShouldBe([a.Id, c.Id]);
    }

    [Fact]
    public async Task ListAsync_AfterIdAndLimit_PagesForward()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _database.Events.AppendAsync(Event(_name, $"Step{i}", _database.Clock), TestTimeouts.Token())).Id);
        }

        var page1 = await _database.Events.ListAsync(_name, 0, 2, TestTimeouts.Token());
        var page2 = await _database.Events.ListAsync(_name, page1[^1].Id, 2, TestTimeouts.Token());
        var page3 = await _database.Events.ListAsync(null, page2[^1].Id, 2, TestTimeouts.Token());
        var none = await _database.Events.ListAsync(_name, ids[^1], 2, TestTimeouts.Token());

        page1.Select(e => e.Id).ShouldBe(ids[..2]);
        page2.Select(e => e.Id).ShouldBe(ids[2..4]);
        page3.Select(e => e.Id).ShouldBe(ids[4..]);
        none.ShouldBeEmpty();
        (await _database.Events.ListAsync(_name, 0, 0, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task AppendAsync_UnknownAgent_DroppedWithIdZero()
    {
        var stored = await _database.Events.AppendAsync(Event("gone", "Stopped", _database.Clock), TestTimeouts.Token());

        stored.Id.ShouldBe(0);
        (await _database.Events.ListAsync(null, 0, 100, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task AppendAsync_AfterAgentDeletedAndReapplied_IdsNeverReused()
    {
        var before = await _database.Events.AppendAsync(Event(_name, "Applied", _database.Clock), TestTimeouts.Token());
        await _database.Agents.DeleteAsync(_name, TestTimeouts.Token());
        await _database.Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        var after = await _database.Events.AppendAsync(Event(_name, "Applied", _database.Clock), TestTimeouts.Token());

        after.Id.ShouldBeGreaterThan(before.Id);
    }
}

public sealed class SqliteEventStoreTests() : EventStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresEventStoreTests() : EventStoreTests(StoreEngine.Postgres);
