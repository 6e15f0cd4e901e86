using Berth.Core.Agents;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// Listing every agent or instance returns the rows it read last while their table is unchanged, and reads again after any
/// write, including writes the store did not make (another connection, another server sharing the database, a cascade).
/// Run on each engine by the classes at the end of the file.
/// </summary>
public abstract class TableSnapshotTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly string _name = TestDatabase.NewName();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        await _database.Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task AgentsListAsync_NothingWritten_SameRecordsNotParsedAgain()
    {
        var first = await _database.Agents.ListWithPoolsAsync(TestTimeouts.Token());

        var second = await _database.Agents.ListWithPoolsAsync(TestTimeouts.Token());

        second.ShouldBeSameAs(first, "an unchanged table is neither read nor parsed again");
        second.ShouldHaveSingleItem().Spec.Image.ShouldBe("local/echo:1");
    }

    [Fact]
    public async Task AgentsListAsync_SpecChanged_NewSpecOnTheNextList()
    {
        var before = await _database.Agents.ListAsync(TestTimeouts.Token());

        await _database.Agents.ApplyAsync(TestDatabase.Spec(_name, "local/echo:2"), TestTimeouts.Token());

        var after = (await _database.Agents.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();
        after.Spec.Image.ShouldBe("local/echo:2");
        after.Generation.ShouldBe(before.ShouldHaveSingleItem().Generation + 1);
    }

    [Fact]
    public async Task AgentsListAsync_DesiredStateChangedAndAgentAdded_BothSeen()
    {
        await _database.Agents.ListAsync(TestTimeouts.Token());
        var added = TestDatabase.NewName();

        await _database.Agents.SetDesiredStateAsync(_name, DesiredState.Stopped, TestTimeouts.Token());
        await _database.Agents.ApplyAsync(TestDatabase.Spec(added), TestTimeouts.Token());

        var listed = await _database.Agents.ListAsync(TestTimeouts.Token());
        listed.Single(a => a.Name == _name).DesiredState.ShouldBe(DesiredState.Stopped);
        listed.Select(a => a.Name).ShouldContain(added);
    }

    [Fact]
    public async Task AgentsListAsync_RowWrittenByAnotherConnection_Seen()
    {
        await _database.Agents.ListAsync(TestTimeouts.Token());

        await _database.ExecuteAsync($"UPDATE agents SET desired_state = 'stopped' WHERE name = '{_name}'");

        (await _database.Agents.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem().DesiredState.ShouldBe(DesiredState.Stopped);
    }

    [Fact]
    public async Task AgentsListAsync_AnotherServerWrites_SeenOnTheNextList()
    {
        var other = new SqlAgentStore(_database.OpenServer(), _database.Clock);
        var otherInstances = new SqlInstanceStore(_database.OpenServer());
        var cached = await _database.Agents.ListWithPoolsAsync(TestTimeouts.Token());
        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldBeEmpty();
        var added = TestDatabase.NewName();

        await other.ApplyAsync(TestDatabase.Spec(_name, "local/echo:2"), TestTimeouts.Token());
        await other.ApplyAsync(TestDatabase.Spec(added), TestTimeouts.Token());
        await otherInstances.UpsertAsync(InstanceStoreTests.Instance(added, $"{added}-a", _database.Clock), TestTimeouts.Token());

        var listed = await _database.Agents.ListWithPoolsAsync(TestTimeouts.Token());
        listed.ShouldNotBeSameAs(cached);
        listed.Select(a => (a.Name, a.Spec.Image)).ShouldBe([(_name, "local/echo:2"), (added, "local/echo:1")], ignoreOrder: true);
        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldHaveSingleItem().AgentName.ShouldBe(added);
        (await _database.Agents.ListWithPoolsAsync(TestTimeouts.Token())).ShouldBeSameAs(listed, "nothing was written since");
    }

    [Fact]
    public async Task AgentsListAsync_AgentDeleted_Gone()
    {
        await _database.Agents.ListAsync(TestTimeouts.Token());

        await _database.Agents.DeleteAsync(_name, TestTimeouts.Token());

        (await _database.Agents.ListAsync(TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task InstancesListAsync_NothingWritten_SameRecords()
    {
        await _database.Instances.UpsertAsync(InstanceStoreTests.Instance(_name, $"{_name}-a", _database.Clock), TestTimeouts.Token());
        var first = await _database.Instances.ListAsync(null, TestTimeouts.Token());

        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldBeSameAs(first);
    }

    [Fact]
    public async Task InstancesListAsync_UpsertedAndDeleted_EachSeenOnTheNextList()
    {
        var instance = InstanceStoreTests.Instance(_name, $"{_name}-a", _database.Clock);
        await _database.Instances.UpsertAsync(instance, TestTimeouts.Token());
        await _database.Instances.ListAsync(null, TestTimeouts.Token());

        await _database.Instances.UpsertAsync(instance with { State = InstanceState.Running }, TestTimeouts.Token());
        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldHaveSingleItem().State.ShouldBe(InstanceState.Running);

        await _database.Instances.DeleteAsync(instance.InstanceId, TestTimeouts.Token());
        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task InstancesListAsync_AgentDeletedWithItsInstances_InstancesGone()
    {
        await _database.Instances.UpsertAsync(InstanceStoreTests.Instance(_name, $"{_name}-a", _database.Clock), TestTimeouts.Token());
        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldHaveSingleItem();

        await _database.ExecuteAsync($"DELETE FROM agents WHERE name = '{_name}'");

        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldBeEmpty("the foreign key's cascade deleted them, and triggers count cascades");
    }
}

public sealed class SqliteTableSnapshotTests() : TableSnapshotTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresTableSnapshotTests() : TableSnapshotTests(StoreEngine.Postgres);
