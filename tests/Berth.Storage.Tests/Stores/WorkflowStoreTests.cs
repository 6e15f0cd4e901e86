using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Storage.Tests.Workflows;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The workflow store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class WorkflowStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlWorkflowStore _workflows = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _workflows = new SqlWorkflowStore(_database.Database, _database.Clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ApplyAsync_NewWorkflow_CreatedAtGenerationOne()
    {
        var spec = WorkflowTestData.SimpleSpec(TestDatabase.NewName());

        var (workflow, outcome) = await _workflows.ApplyAsync(spec, TestTimeouts.Token());

        outcome.ShouldBe(ApplyOutcome.Created);
        workflow.Name.ShouldBe(spec.Name);
        workflow.Generation.ShouldBe(1);
        workflow.CreatedAt.ShouldBe(_database.Clock.GetUtcNow());
        workflow.UpdatedAt.ShouldBe(workflow.CreatedAt);
        var read = await _workflows.GetAsync(spec.Name, TestTimeouts.Token());
        read.ShouldNotBeNull();
        read.Spec.Steps.Select(s => s.Id).ShouldBe(["build", "test", "ship"]);
        read.Spec.Steps[1].DependsOn.ShouldBe(["build"]);
    }

    [Fact]
    public async Task ApplyAsync_SameSpecAgain_UnchangedAndGenerationKept()
    {
        var name = TestDatabase.NewName();
        await _workflows.ApplyAsync(WorkflowTestData.FullSpec(name), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));

        var (workflow, outcome) = await _workflows.ApplyAsync(WorkflowTestData.FullSpec(name), TestTimeouts.Token());

        outcome.ShouldBe(ApplyOutcome.Unchanged);
        workflow.Generation.ShouldBe(1);
        workflow.UpdatedAt.ShouldBe(workflow.CreatedAt);
    }

    [Fact]
    public async Task ApplyAsync_ChangedSpec_UpdatedGenerationIncreases()
    {
        var name = TestDatabase.NewName();
        var (created, _) = await _workflows.ApplyAsync(WorkflowTestData.SimpleSpec(name), TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));

        var (workflow, outcome) = await _workflows.ApplyAsync(WorkflowTestData.SimpleSpec(name, image: "local/build:2"), TestTimeouts.Token());

        outcome.ShouldBe(ApplyOutcome.Updated);
        workflow.Generation.ShouldBe(2);
        workflow.CreatedAt.ShouldBe(created.CreatedAt);
        workflow.UpdatedAt.ShouldBe(_database.Clock.GetUtcNow());
        (await _workflows.GetAsync(name, TestTimeouts.Token()))!.Spec.Steps[0].Container!.Image.ShouldBe("local/build:2");
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentChanges_EachGetsItsOwnGeneration()
    {
        var name = TestDatabase.NewName();
        await _workflows.ApplyAsync(WorkflowTestData.SimpleSpec(name), TestTimeouts.Token());

        var results = await Task.WhenAll(Enumerable.Range(2, 8).Select(i =>
            Task.Run(() => _workflows.ApplyAsync(WorkflowTestData.SimpleSpec(name, image: $"local/build:{i}"), TestTimeouts.Token()))));

        results.Select(r => r.Workflow.Generation).Order().ShouldBe(Enumerable.Range(2, 8).Select(i => (long)i));
        (await _workflows.GetAsync(name, TestTimeouts.Token()))!.Generation.ShouldBe(9);
    }

    [Fact]
    public async Task ListAsync_SeveralWorkflows_OrderedByName()
    {
        var prefix = TestDatabase.NewName();
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await _workflows.ApplyAsync(WorkflowTestData.SimpleSpec($"{prefix}-{suffix}"), TestTimeouts.Token());
        }

        var list = await _workflows.ListAsync(TestTimeouts.Token());

        list.Select(w => w.Name).ShouldBe([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"]);
    }

    [Fact]
    public async Task DeleteAsync_Known_RemovedAndRunsKept()
    {
        var spec = WorkflowTestData.SimpleSpec(TestDatabase.NewName());
        await _workflows.ApplyAsync(spec, TestTimeouts.Token());
        var runs = new SqlRunStore(_database.Database);
        var run = WorkflowTestData.Run(spec, _database.Clock.GetUtcNow());
        await runs.CreateAsync(run, WorkflowTestData.PendingSteps(run), WorkflowTestData.Event(run, run.CreatedAt, "run.queued"), TestTimeouts.Token());

        (await _workflows.DeleteAsync(spec.Name, TestTimeouts.Token())).ShouldBeTrue();

        (await _workflows.GetAsync(spec.Name, TestTimeouts.Token())).ShouldBeNull();
        (await runs.GetAsync(run.Id, TestTimeouts.Token())).ShouldNotBeNull();
        (await runs.GetStepsAsync(run.Id, TestTimeouts.Token())).Count.ShouldBe(3);
    }

    [Fact]
    public async Task DeleteAsync_Unknown_False()
    {
        (await _workflows.DeleteAsync(TestDatabase.NewName(), TestTimeouts.Token())).ShouldBeFalse();
    }

    [Fact]
    public async Task ApplyAsync_AfterDelete_CreatedAgainAtGenerationOne()
    {
        var spec = WorkflowTestData.SimpleSpec(TestDatabase.NewName());
        await _workflows.ApplyAsync(spec, TestTimeouts.Token());
        await _workflows.ApplyAsync(spec with { Concurrency = 2 }, TestTimeouts.Token());
        await _workflows.DeleteAsync(spec.Name, TestTimeouts.Token());

        var (workflow, outcome) = await _workflows.ApplyAsync(spec, TestTimeouts.Token());

        outcome.ShouldBe(ApplyOutcome.Created);
        workflow.Generation.ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_SpecEditedByHand_StoredDataExceptionNamesTheWorkflow()
    {
        var name = TestDatabase.NewName();
        await _workflows.ApplyAsync(WorkflowTestData.SimpleSpec(name), TestTimeouts.Token());
        await _database.ExecuteAsync($"UPDATE workflows SET spec = '{{\"name\": 5' WHERE name = '{name}'");

        var error = await Should.ThrowAsync<StoredDataException>(() => _workflows.GetAsync(name, TestTimeouts.Token()));

        error.Message.ShouldContain(name);
        (await _workflows.ApplyAsync(WorkflowTestData.SimpleSpec(name), TestTimeouts.Token())).Outcome.ShouldBe(ApplyOutcome.Updated);
    }
}

public sealed class SqliteWorkflowStoreTests() : WorkflowStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresWorkflowStoreTests() : WorkflowStoreTests(StoreEngine.Postgres);
