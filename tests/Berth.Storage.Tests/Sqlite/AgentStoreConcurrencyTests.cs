using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Sqlite;

public sealed class AgentStoreConcurrencyTests : IAsyncLifetime
{
    private readonly string _name = TestDatabase.NewName();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

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
