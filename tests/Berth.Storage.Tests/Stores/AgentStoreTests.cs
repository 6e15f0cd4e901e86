using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The agent store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class AgentStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly string _name = TestDatabase.NewName();
    private TestDatabase _database = null!;

    private SqlAgentStore Agents => _database.Agents;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(engine);

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ApplyAsync_NewAgent_CreatedRunningAtGenerationOne()
    {
        var now = _database.Clock.GetUtcNow();

        var result = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        result.Outcome.ShouldBe(ApplyOutcome.Created);
        result.Agent.Name.ShouldBe(_name);
        result.Agent.Generation.ShouldBe(1);
        result.Agent.DesiredState.ShouldBe(DesiredState.Running);
        result.Agent.CreatedAt.ShouldBe(now);
        result.Agent.UpdatedAt.ShouldBe(now);
        result.Agent.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
        result.Agent.Spec.Image.ShouldBe("local/echo:1");
    }

    [Fact]
    public async Task ApplyAsync_SameSpecAgain_UnchangedKeepsGenerationAndTime()
    {
        var created = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        again.Outcome.ShouldBe(ApplyOutcome.Unchanged);
        again.Agent.Generation.ShouldBe(1);
        again.Agent.UpdatedAt.ShouldBe(created.Agent.UpdatedAt);
    }

    [Fact]
    public async Task ApplyAsync_ChangedSpec_UpdatedWithNextGeneration()
    {
        var created = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = await Agents.ApplyAsync(TestDatabase.Spec(_name, "local/echo:2"), TestTimeouts.Token());

        updated.Outcome.ShouldBe(ApplyOutcome.Updated);
        updated.Agent.Generation.ShouldBe(2);
        updated.Agent.Spec.Image.ShouldBe("local/echo:2");
        updated.Agent.CreatedAt.ShouldBe(created.Agent.CreatedAt);
        updated.Agent.UpdatedAt.ShouldBe(_database.Clock.GetUtcNow());
        (await Agents.GetAsync(_name, TestTimeouts.Token()))!.Spec.Image.ShouldBe("local/echo:2");
    }

    [Fact]
    public async Task ApplyAsync_AgentBeingRemoved_BackToRunningWithBump()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await Agents.SetDesiredStateAsync(_name, DesiredState.Removed, TestTimeouts.Token());

        var result = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        result.Outcome.ShouldBe(ApplyOutcome.Updated);
        result.Agent.DesiredState.ShouldBe(DesiredState.Running);
        result.Agent.Generation.ShouldBe(2);
    }

    [Fact]
    public async Task ApplyAsync_StoppedAgent_StaysStopped()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await Agents.SetDesiredStateAsync(_name, DesiredState.Stopped, TestTimeouts.Token());

        var same = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        var changed = await Agents.ApplyAsync(TestDatabase.Spec(_name, "local/echo:2"), TestTimeouts.Token());

        same.Outcome.ShouldBe(ApplyOutcome.Unchanged);
        changed.Outcome.ShouldBe(ApplyOutcome.Updated);
        changed.Agent.DesiredState.ShouldBe(DesiredState.Stopped);
        changed.Agent.Generation.ShouldBe(2);
    }

    [Fact]
    public async Task ApplyAsync_RichSpec_RoundTripsThroughTheDatabase()
    {
        var spec = TestDatabase.Spec(_name) with
        {
            Args = ["--port", "8080"],
            Port = 8080,
            Env = new Dictionary<string, string> { ["MODEL"] = "small", ["KEY"] = "${secret:api-key}" },
            Health = new HealthSpec { Path = "/healthz", Interval = TimeSpan.FromSeconds(30) },
            Replicas = 3,
            Capabilities = [new() { Name = "summarize" }],
            DependsOn = ["db"],
        };
        await Agents.ApplyAsync(spec, TestTimeouts.Token());
        _database.Reopen();

        var stored = await Agents.GetAsync(_name, TestTimeouts.Token());

        stored.ShouldNotBeNull();
        JsonSerializer.Serialize(stored.Spec, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(spec, BerthJson.Options));
        stored.Spec.Env["KEY"].ShouldBe("${secret:api-key}");
        (await Agents.ApplyAsync(spec, TestTimeouts.Token())).Outcome.ShouldBe(ApplyOutcome.Unchanged);
    }

    [Fact]
    public async Task GetAsync_ReopenedStore_SeesEverythingWritten()
    {
        var created = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await Agents.SetDesiredStateAsync(_name, DesiredState.Stopped, TestTimeouts.Token());
        _database.Reopen();

        var stored = await _database.Agents.GetAsync(_name, TestTimeouts.Token());

        stored.ShouldNotBeNull();
        stored.Generation.ShouldBe(1);
        stored.DesiredState.ShouldBe(DesiredState.Stopped);
        stored.CreatedAt.ShouldBe(created.Agent.CreatedAt);
    }

    [Fact]
    public async Task GetAsync_NameInOtherCase_NotFound()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        (await Agents.GetAsync(_name.ToUpperInvariant(), TestTimeouts.Token())).ShouldBeNull();
        (await Agents.GetAsync(_name, TestTimeouts.Token())).ShouldNotBeNull();
    }

    [Fact]
    public async Task ListAsync_SeveralAgents_OrderedByName()
    {
        foreach (var name in new[] { "charlie", "alpha", "bravo" })
        {
            await Agents.ApplyAsync(TestDatabase.Spec(name), TestTimeouts.Token());
        }

        var agents = await Agents.ListAsync(TestTimeouts.Token());

        agents.Select(a => a.Name).ShouldBe(["alpha", "bravo", "charlie"]);
    }

    [Fact]
    public async Task SetDesiredStateAsync_Change_UpdatesStateAndTimeOnlyWhenDifferent()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        var stoppedAt = _database.Clock.GetUtcNow();

        var stopped = await Agents.SetDesiredStateAsync(_name, DesiredState.Stopped, TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await Agents.SetDesiredStateAsync(_name, DesiredState.Stopped, TestTimeouts.Token());

        stopped!.DesiredState.ShouldBe(DesiredState.Stopped);
        stopped.UpdatedAt.ShouldBe(stoppedAt);
        stopped.Generation.ShouldBe(1);
        again!.UpdatedAt.ShouldBe(stoppedAt);
    }

    [Fact]
    public async Task SetDesiredStateAsync_UnknownAgent_Null()
    {
        (await Agents.SetDesiredStateAsync(_name, DesiredState.Stopped, TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task BumpGenerationAsync_KnownAgent_NextGenerationSameSpec()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));

        var bumped = await Agents.BumpGenerationAsync(_name, TestTimeouts.Token());

        bumped!.Generation.ShouldBe(2);
        bumped.UpdatedAt.ShouldBe(_database.Clock.GetUtcNow());
        bumped.Spec.Image.ShouldBe("local/echo:1");
        (await Agents.BumpGenerationAsync(TestDatabase.NewName(), TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task DeleteAsync_AgentWithInstancesAndEvents_ForgetsAllOfThem()
    {
        var other = TestDatabase.NewName();
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await Agents.ApplyAsync(TestDatabase.Spec(other), TestTimeouts.Token());
        foreach (var agent in new[] { _name, other })
        {
            await _database.Instances.UpsertAsync(InstanceStoreTests.Instance(agent, $"{agent}-0", _database.Clock), TestTimeouts.Token());
            await _database.Events.AppendAsync(EventStoreTests.Event(agent, "Applied", _database.Clock), TestTimeouts.Token());
        }

        (await Agents.DeleteAsync(_name, TestTimeouts.Token())).ShouldBeTrue();

        (await Agents.GetAsync(_name, TestTimeouts.Token())).ShouldBeNull();
        (await _database.Instances.ListAsync(_name, TestTimeouts.Token())).ShouldBeEmpty();
        (await _database.Events.ListAsync(_name, 0, 100, TestTimeouts.Token())).ShouldBeEmpty();
        (await _database.Instances.ListAsync(other, TestTimeouts.Token())).Count.ShouldBe(1);
        (await _database.Events.ListAsync(other, 0, 100, TestTimeouts.Token())).Count.ShouldBe(1);
        (await Agents.DeleteAsync(_name, TestTimeouts.Token())).ShouldBeFalse();
    }

    [Fact]
    public async Task DeleteAsync_RowDeletedBySql_ForeignKeysCascade()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await _database.Instances.UpsertAsync(InstanceStoreTests.Instance(_name, $"{_name}-0", _database.Clock), TestTimeouts.Token());
        await _database.Events.AppendAsync(EventStoreTests.Event(_name, "Applied", _database.Clock), TestTimeouts.Token());

        await _database.ExecuteAsync($"DELETE FROM agents WHERE name = '{_name}'");

        (await _database.CountAsync("SELECT COUNT(*) FROM instances")).ShouldBe(0);
        (await _database.CountAsync("SELECT COUNT(*) FROM events")).ShouldBe(0);
    }

    [Fact]
    public async Task ListAsync_SpecEditedByHand_ThrowsNamingAgentAndRow()
    {
        await Agents.ApplyAsync(TestDatabase.Spec("healthy"), TestTimeouts.Token());
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await _database.ExecuteAsync($"UPDATE agents SET spec = '{{\"name\": \"{_name}\", \"image\": ' WHERE name = '{_name}'");

        var listError = await Should.ThrowAsync<StoredDataException>(() => Agents.ListAsync(TestTimeouts.Token()));
        var getError = await Should.ThrowAsync<StoredDataException>(() => Agents.GetAsync(_name, TestTimeouts.Token()));

        listError.AgentName.ShouldBe(_name);
        listError.Message.ShouldContain($"'{_name}'");
        listError.Message.ShouldContain("table 'agents'");
        listError.Message.ShouldContain("edited by hand");
        getError.AgentName.ShouldBe(_name);
        (await Agents.GetAsync("healthy", TestTimeouts.Token())).ShouldNotBeNull();
    }

    [Fact]
    public async Task ApplyAsync_OverSpecEditedByHand_RepairsTheRow()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await _database.ExecuteAsync($"UPDATE agents SET spec = 'not json' WHERE name = '{_name}'");

        var result = await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        result.Outcome.ShouldBe(ApplyOutcome.Updated);
        result.Agent.Generation.ShouldBe(2);
        (await Agents.ListAsync(TestTimeouts.Token())).Single().Spec.Image.ShouldBe("local/echo:1");
    }

    [Fact]
    public async Task GetAsync_UnknownDesiredState_ThrowsNamingColumn()
    {
        await Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
        await _database.ExecuteAsync($"UPDATE agents SET desired_state = 'paused' WHERE name = '{_name}'");

        var error = await Should.ThrowAsync<StoredDataException>(() => Agents.GetAsync(_name, TestTimeouts.Token()));

        error.Message.ShouldContain("desired_state 'paused'");
    }
}

public sealed class SqliteAgentStoreTests() : AgentStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresAgentStoreTests() : AgentStoreTests(StoreEngine.Postgres);
