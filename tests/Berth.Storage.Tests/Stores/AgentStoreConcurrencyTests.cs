using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// Applies and bumps at the same time keep the agent's generation exact: through many stores on one database, and through
/// servers that share the database (on PostgreSQL a conflicting write is run again, and that must never reach the caller).
/// Run on each engine by the classes at the end of the file.
/// </summary>
public abstract class AgentStoreConcurrencyTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly string _name = TestDatabase.NewName();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(engine);

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Theory]
    [InlineData(20, 20)]
    [InlineData(20, 3)]
    public async Task ApplyAsync_ParallelAppliesOfOneName_GenerationCountsEveryRealChange(int applies, int distinctSpecs)
    {
        // Each apply goes through its own store and connection, as concurrent requests would; the gate releases them together.
        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, applies)
            .Select(i => Task.Factory.StartNew(
                () =>
                {
                    gate.Wait(TestTimeouts.Slow);
                    return new SqlAgentStore(_database.Database, _database.Clock)
                        .ApplyAsync(TestDatabase.Spec(_name, $"local/echo:{i % distinctSpecs}"), TestTimeouts.Token()).GetAwaiter().GetResult();
                },
                TestTimeouts.Token(),
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToList();
        gate.Set();

        var results = await Task.WhenAll(tasks).WaitAsync(TestTimeouts.Slow);

        results.Count(r => r.Outcome == ApplyOutcome.Created).ShouldBe(1);
        var changes = results.Count(r => r.Outcome == ApplyOutcome.Updated);
        var stored = await _database.Agents.GetAsync(_name, TestTimeouts.Token());
        stored!.Generation.ShouldBe(1 + changes);
        results.Max(r => r.Agent.Generation).ShouldBe(stored.Generation);
        results.Where(r => r.Outcome != ApplyOutcome.Unchanged).Select(r => r.Agent.Generation).ShouldBeUnique();
        if (distinctSpecs == applies)
        {
            changes.ShouldBe(applies - 1);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ApplyAsync_NewAgentOnTwoServersAtOnce_OneCreatesTheOtherSeesIt(bool sameSpec)
    {
        SqlAgentStore[] servers = [new(_database.OpenServer(), _database.Clock), new(_database.OpenServer(), _database.Clock)];
        for (var round = 0; round < 10; round++)
        {
            var name = TestDatabase.NewName();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var applies = servers.Select((server, i) => Task.Run(async () =>
            {
                await gate.Task;
                return await server.ApplyAsync(TestDatabase.Spec(name, sameSpec ? "local/echo:1" : $"local/echo:{i}"), TestTimeouts.Token());
            })).ToList();
            gate.SetResult();

            var results = await Task.WhenAll(applies).WaitAsync(TestTimeouts.Slow);

            results.Select(r => r.Outcome).ShouldBe(
                [ApplyOutcome.Created, sameSpec ? ApplyOutcome.Unchanged : ApplyOutcome.Updated], ignoreOrder: true, $"round {round}");
            var stored = await _database.Agents.GetAsync(name, TestTimeouts.Token());
            stored!.Generation.ShouldBe(sameSpec ? 1 : 2);
            results.Max(r => r.Agent.Generation).ShouldBe(stored.Generation);
        }
    }

    [Fact]
    public async Task BumpGenerationAsync_Parallel_NoBumpLost()
    {
        await _database.Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());

        var tasks = Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => _database.Agents.BumpGenerationAsync(_name, TestTimeouts.Token())));
        await Task.WhenAll(tasks).WaitAsync(TestTimeouts.Slow);

        (await _database.Agents.GetAsync(_name, TestTimeouts.Token()))!.Generation.ShouldBe(21);
    }
}

public sealed class SqliteAgentStoreConcurrencyTests() : AgentStoreConcurrencyTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresAgentStoreConcurrencyTests() : AgentStoreConcurrencyTests(StoreEngine.Postgres);
