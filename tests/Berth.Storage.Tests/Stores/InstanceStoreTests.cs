using Berth.Core.Agents;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The instance store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class InstanceStoreTests(StoreEngine engine) : IAsyncLifetime
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

    internal static InstanceRecord Instance(string agentName, string instanceId, TimeProvider clock, int ordinal = 0) => new()
    {
        InstanceId = instanceId,
        AgentName = agentName,
        Ordinal = ordinal,
        Generation = 1,
        State = InstanceState.Starting,
        UpdatedAt = clock.GetUtcNow(),
    };

    [Fact]
    public async Task UpsertAsync_NewThenChanged_ReplacesEveryField()
    {
        var id = $"{_name}-a";
        await _database.Instances.UpsertAsync(Instance(_name, id, _database.Clock), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromSeconds(3));
        var now = _database.Clock.GetUtcNow();
        var running = Instance(_name, id, _database.Clock) with
        {
            Generation = 2,
            State = InstanceState.Restarting,
            Endpoint = new Uri("http://127.0.0.1:41234/"),
            RestartCount = 4,
            ExitCode = 137,
            Message = "killed",
            StartedAt = now.AddSeconds(-2),
            NextRestartAt = now.AddSeconds(8),
        };

        await _database.Instances.UpsertAsync(running, TestTimeouts.Token());
        _database.Reopen();

        var stored = (await _database.Instances.ListAsync(_name, TestTimeouts.Token())).ShouldHaveSingleItem();
        stored.ShouldBe(running);
        stored.UpdatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task UpsertAsync_OptionalFieldsCleared_StoredAsNull()
    {
        var id = $"{_name}-a";
        await _database.Instances.UpsertAsync(
            Instance(_name, id, _database.Clock) with { Endpoint = new Uri("http://127.0.0.1:1/"), ExitCode = 1, Message = "x", StartedAt = _database.Clock.GetUtcNow() },
            TestTimeouts.Token());

        await _database.Instances.UpsertAsync(Instance(_name, id, _database.Clock), TestTimeouts.Token());

        (await _database.Instances.ListAsync(_name, TestTimeouts.Token())).ShouldHaveSingleItem().ShouldBe(Instance(_name, id, _database.Clock));
    }

    [Fact]
    public async Task ListAsync_SeveralAgents_OrderedByAgentThenOrdinal()
    {
        var (first, second) = string.CompareOrdinal(_name, _other) < 0 ? (_name, _other) : (_other, _name);
        await _database.Instances.UpsertAsync(Instance(second, "i1", _database.Clock, ordinal: 0), TestTimeouts.Token());
        await _database.Instances.UpsertAsync(Instance(first, "i2", _database.Clock, ordinal: 1), TestTimeouts.Token());
        await _database.Instances.UpsertAsync(Instance(first, "i3", _database.Clock, ordinal: 0), TestTimeouts.Token());

        var all = await _database.Instances.ListAsync(null, TestTimeouts.Token());
        var ofFirst = await _database.Instances.ListAsync(first, TestTimeouts.Token());

        all.Select(i => i.InstanceId).ShouldBe(["i3", "i2", "i1"]);
        ofFirst.Select(i => i.InstanceId).ShouldBe(["i3", "i2"]);
    }

    [Fact]
    public async Task DeleteAsync_KnownAndUnknown_RemovesOnlyThatInstance()
    {
        await _database.Instances.UpsertAsync(Instance(_name, "keep", _database.Clock, ordinal: 0), TestTimeouts.Token());
        await _database.Instances.UpsertAsync(Instance(_name, "drop", _database.Clock, ordinal: 1), TestTimeouts.Token());

        await _database.Instances.DeleteAsync("drop", TestTimeouts.Token());
        await _database.Instances.DeleteAsync("never-existed", TestTimeouts.Token());

        (await _database.Instances.ListAsync(_name, TestTimeouts.Token())).ShouldHaveSingleItem().InstanceId.ShouldBe("keep");
    }

    [Fact]
    public async Task UpsertAsync_UnknownAgent_DroppedSilently()
    {
        await _database.Instances.UpsertAsync(Instance("gone", "orphan", _database.Clock), TestTimeouts.Token());

        (await _database.Instances.ListAsync(null, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListAsync_StateEditedByHand_ThrowsNamingInstance()
    {
        await _database.Instances.UpsertAsync(Instance(_name, "bad", _database.Clock), TestTimeouts.Token());
        await _database.ExecuteAsync("UPDATE instances SET state = 'dancing' WHERE instance_id = 'bad'");

        var error = await Should.ThrowAsync<StoredDataException>(() => _database.Instances.ListAsync(null, TestTimeouts.Token()));

        error.AgentName.ShouldBe(_name);
        error.Message.ShouldContain("row 'bad' of table 'instances'");
    }
}

public sealed class SqliteInstanceStoreTests() : InstanceStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresInstanceStoreTests() : InstanceStoreTests(StoreEngine.Postgres);
