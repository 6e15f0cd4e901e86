using System.Text.Json.Nodes;
using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Workflows.Runs;
using Berth.Core.Workflows;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Workflows;

/// <summary>The run store's contract: runs, steps and event streams, run on each engine by the classes at the end of the file.</summary>
public abstract class RunStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlRunStore _runs = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _runs = new SqlRunStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    private async Task<WorkflowRun> CreateRunAsync(WorkflowSpec? spec = null, RunState state = RunState.Queued, DateTimeOffset? createdAt = null)
    {
        var run = WorkflowTestData.Run(spec ?? WorkflowTestData.SimpleSpec(TestDatabase.NewName()), createdAt ?? Now, state);
        await _runs.CreateAsync(run, WorkflowTestData.PendingSteps(run), WorkflowTestData.Event(run, run.CreatedAt, "run.queued"), TestTimeouts.Token());
        return run;
    }

    [Fact]
    public async Task CreateAsync_ThenGet_ReadsRunStepsAndFirstEventBack()
    {
        var run = WorkflowTestData.Run(WorkflowTestData.FullSpec(TestDatabase.NewName()), Now) with { ParentRunId = "p1", StartedBy = "run/p1" };

        await _runs.CreateAsync(run, WorkflowTestData.PendingSteps(run), WorkflowTestData.Event(run, Now, "run.queued", message: "queued by alice"), TestTimeouts.Token());

        var read = await _runs.GetAsync(run.Id, TestTimeouts.Token());
        read.ShouldNotBeNull();
        (read with { Spec = run.Spec, Inputs = run.Inputs }).ShouldBe(run);
        JsonNode.DeepEquals(read.Inputs, run.Inputs).ShouldBeTrue();
        JsonSerializer.Serialize(read.Spec, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(run.Spec, BerthJson.Options));
        var steps = await _runs.GetStepsAsync(run.Id, TestTimeouts.Token());
        steps.ShouldBe(WorkflowTestData.PendingSteps(run));
        var events = await _runs.GetEventsAsync(run.Id, 0, 10, TestTimeouts.Token());
        events.ShouldHaveSingleItem().ShouldBe(WorkflowTestData.Event(run, Now, "run.queued", message: "queued by alice") with { Sequence = 1 });
    }

    [Fact]
    public async Task CountStepsAsync_RunsWithStepsInSeveralStates_CountsEachRunsStatesAndUnknownRunsAsEmpty()
    {
        var first = await CreateRunAsync();
        var second = await CreateRunAsync();
        var steps = WorkflowTestData.PendingSteps(first);
        await _runs.SaveAsync(null, [steps[0] with { State = StepState.Succeeded }, steps[1] with { State = StepState.Running }], [], TestTimeouts.Token());

        var counts = await _runs.CountStepsAsync([first.Id, second.Id, "no-such-run"], TestTimeouts.Token());

        counts[first.Id].OrderBy(c => c.Key).ShouldBe([new(StepState.Pending, 1), new(StepState.Running, 1), new(StepState.Succeeded, 1)]);
        counts[second.Id].ShouldBe([new(StepState.Pending, 3)]);
        counts["no-such-run"].ShouldBeEmpty();
        (await _runs.CountStepsAsync([], TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateAsync_StepsGivenOutOfOrder_GetStepsReturnsSpecOrder()
    {
        var run = WorkflowTestData.Run(WorkflowTestData.SimpleSpec(TestDatabase.NewName()), Now);

        await _runs.CreateAsync(run, WorkflowTestData.PendingSteps(run).Reverse().ToList(), WorkflowTestData.Event(run, Now), TestTimeouts.Token());

        (await _runs.GetStepsAsync(run.Id, TestTimeouts.Token())).Select(s => s.StepId).ShouldBe(["build", "test", "ship"]);
    }

    [Fact]
    public async Task CreateAsync_SameIdTwice_InvalidOperationAndFirstKept()
    {
        var run = await CreateRunAsync();

        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            _runs.CreateAsync(run with { StartedBy = "bob" }, [], WorkflowTestData.Event(run, Now), TestTimeouts.Token()));

        error.Message.ShouldContain(run.Id);
        (await _runs.GetAsync(run.Id, TestTimeouts.Token()))!.StartedBy.ShouldBe("alice");
        (await _runs.GetEventsAsync(run.Id, 0, 10, TestTimeouts.Token())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task SaveAsync_Transitions_StoredAndEventsNumberedAfterTheLast()
    {
        var run = await CreateRunAsync();
        var started = run with { State = RunState.Running };
        var build = new StepRun { RunId = run.Id, StepId = "build", State = StepState.Running, Attempt = 1, StartedAt = Now, ContainerId = "c0ffee", CacheKey = "k1" };

        var first = await _runs.SaveAsync(started, [build], [WorkflowTestData.Event(run, Now), WorkflowTestData.Event(run, Now, "step.started", "build", 1)], TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromSeconds(5));
        var done = build with
        {
            State = StepState.Succeeded,
            FinishedAt = Now,
            ContainerId = null,
            Outputs = new StepOutputs
            {
                Stdout = "ok",
                ExitCode = 0,
                Files = new Dictionary<string, ArtifactRef> { ["/out/a.txt"] = new(new string('a', 64), 12) },
                Body = new JsonObject { ["x"] = new JsonArray(1, "two", null) },
                Items = [new StepOutputs { Status = 200 }, new StepOutputs { Status = 200, PluginOutputs = new JsonObject { ["wordCount"] = 2 }, Provider = "plugin:ta@1.0.0" }],
                Outputs = new Dictionary<string, StepOutputs> { ["inner"] = new() { Stdout = "in" } },
            },
        };
        var second = await _runs.SaveAsync(null, [done], [WorkflowTestData.Event(run, Now, "step.succeeded", "build", 1)], TestTimeouts.Token());

        first.Select(e => e.Sequence).ShouldBe([2L, 3L]);
        first[1].ShouldBe(WorkflowTestData.Event(run, first[1].Time, "step.started", "build", 1) with { Sequence = 3 });
        second.ShouldHaveSingleItem().Sequence.ShouldBe(4);
        (await _runs.GetAsync(run.Id, TestTimeouts.Token()))!.State.ShouldBe(RunState.Running);
        var stored = (await _runs.GetStepsAsync(run.Id, TestTimeouts.Token()))[0];
        (stored with { Outputs = null }).ShouldBe(done with { Outputs = null });
        JsonSerializer.Serialize(stored.Outputs, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(done.Outputs, BerthJson.Options));
        stored.Outputs!.Files["/out/a.txt"].ShouldBe(new ArtifactRef(new string('a', 64), 12));
        stored.Outputs.Items![1].PluginOutputs!["wordCount"]!.GetValue<int>().ShouldBe(2, "a resumed run reads a plugin step's outputs from the store");
        (await _runs.GetEventsAsync(run.Id, 0, 100, TestTimeouts.Token())).Select(e => e.Type)
            .ShouldBe(["run.queued", "run.started", "step.started", "step.succeeded"]);
    }

    [Fact]
    public async Task SaveAsync_FailedRun_KeepsFailureErrorAndFinishTime()
    {
        var run = await CreateRunAsync(state: RunState.Running);
        var failure = new StepFailure { Class = ErrorClass.CircuitOpen, Message = "agent reviewer's circuit is open", ExitCode = 137, LogTail = "line 1\nline 2" };
        var failed = new StepRun { RunId = run.Id, StepId = "test", State = StepState.Failed, Attempt = 3, StartedAt = Now, FinishedAt = Now, Failure = failure };
        var retrying = new StepRun { RunId = run.Id, StepId = "ship", State = StepState.Retrying, Attempt = 1, RetryAt = Now.AddSeconds(30) };

        await _runs.SaveAsync(run with { State = RunState.Failed, FinishedAt = Now, Error = "step test failed" }, [failed, retrying], [], TestTimeouts.Token());

        var read = (await _runs.GetAsync(run.Id, TestTimeouts.Token()))!;
        read.State.ShouldBe(RunState.Failed);
        read.FinishedAt.ShouldBe(Now);
        read.Error.ShouldBe("step test failed");
        var steps = await _runs.GetStepsAsync(run.Id, TestTimeouts.Token());
        steps[1].ShouldBe(failed);
        steps[2].ShouldBe(retrying);
    }

    [Fact]
    public async Task SaveAsync_ConcurrentSaversOfOneRun_NeverDuplicateASequence()
    {
        var run = await CreateRunAsync();

        var batches = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => _runs.SaveAsync(
            null,
            [new StepRun { RunId = run.Id, StepId = "build", State = StepState.Running, Attempt = i }],
            [WorkflowTestData.Event(run, Now, "step.log", "build", message: $"{i}-a"), WorkflowTestData.Event(run, Now, "step.log", "build", message: $"{i}-b")],
            TestTimeouts.Token()))));

        var returned = batches.SelectMany(b => b.Select(e => e.Sequence)).Order().ToList();
        returned.ShouldBe(Enumerable.Range(2, 32).Select(i => (long)i));
        var stored = await _runs.GetEventsAsync(run.Id, 0, 100, TestTimeouts.Token());
        stored.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, 33).Select(i => (long)i));
        foreach (var batch in batches)
        {
            batch[1].Sequence.ShouldBe(batch[0].Sequence + 1);
            stored.Single(e => e.Sequence == batch[0].Sequence).Message.ShouldBe(batch[0].Message);
        }
    }

    [Fact]
    public async Task SaveAsync_RunNotCreated_ArgumentExceptionAndNothingStored()
    {
        var run = WorkflowTestData.Run(WorkflowTestData.SimpleSpec(TestDatabase.NewName()), Now);

        await Should.ThrowAsync<ArgumentException>(() => _runs.SaveAsync(run, [], [WorkflowTestData.Event(run, Now)], TestTimeouts.Token()));
        await Should.ThrowAsync<ArgumentException>(() => _runs.SaveAsync(null, [], [WorkflowTestData.Event(run, Now)], TestTimeouts.Token()));

        (await _runs.GetEventsAsync(run.Id, 0, 10, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveAsync_StepNotCreatedWithTheRun_AddedAfterTheOthers()
    {
        var run = await CreateRunAsync();

        await _runs.SaveAsync(null, [new StepRun { RunId = run.Id, StepId = "extra", State = StepState.Queued }], [], TestTimeouts.Token());

        (await _runs.GetStepsAsync(run.Id, TestTimeouts.Token())).Select(s => s.StepId).ShouldBe(["build", "test", "ship", "extra"]);
    }

    [Fact]
    public async Task GetEventsAsync_Paging_ResumesAfterTheLastSequenceSeen()
    {
        var run = await CreateRunAsync();
        await _runs.SaveAsync(null, [], Enumerable.Range(1, 9).Select(i => WorkflowTestData.Event(run, Now, "step.log", message: $"line {i}")).ToList(), TestTimeouts.Token());

        var page1 = await _runs.GetEventsAsync(run.Id, 0, 4, TestTimeouts.Token());
        var page2 = await _runs.GetEventsAsync(run.Id, page1[^1].Sequence, 4, TestTimeouts.Token());
        var page3 = await _runs.GetEventsAsync(run.Id, page2[^1].Sequence, 4, TestTimeouts.Token());
        var after = await _runs.GetEventsAsync(run.Id, page3[^1].Sequence, 4, TestTimeouts.Token());

        page1.Select(e => e.Sequence).ShouldBe([1L, 2, 3, 4]);
        page2.Select(e => e.Message).ShouldBe(["line 4", "line 5", "line 6", "line 7"]);
        page3.Select(e => e.Sequence).ShouldBe([9L, 10]);
        after.ShouldBeEmpty();
        (await _runs.GetEventsAsync(WorkflowTestData.NewRunId(), 0, 4, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListAsync_Filters_NewestFirstWithinLimit()
    {
        var a = WorkflowTestData.SimpleSpec(TestDatabase.NewName());
        var b = WorkflowTestData.SimpleSpec(TestDatabase.NewName());
        var a1 = await CreateRunAsync(a, RunState.Succeeded, Now);
        var b1 = await CreateRunAsync(b, RunState.Running, Now.AddSeconds(1));
        var a2 = await CreateRunAsync(a, RunState.Running, Now.AddSeconds(2));
        var a3 = await CreateRunAsync(a, RunState.Queued, Now.AddSeconds(3));

        (await _runs.ListAsync(null, null, 10, TestTimeouts.Token())).Select(r => r.Id).ShouldBe([a3.Id, a2.Id, b1.Id, a1.Id]);
        (await _runs.ListAsync(a.Name, null, 10, TestTimeouts.Token())).Select(r => r.Id).ShouldBe([a3.Id, a2.Id, a1.Id]);
        (await _runs.ListAsync(null, RunState.Running, 10, TestTimeouts.Token())).Select(r => r.Id).ShouldBe([a2.Id, b1.Id]);
        (await _runs.ListAsync(a.Name, RunState.Running, 10, TestTimeouts.Token())).Select(r => r.Id).ShouldBe([a2.Id]);
        (await _runs.ListAsync(a.Name, null, 2, TestTimeouts.Token())).Select(r => r.Id).ShouldBe([a3.Id, a2.Id]);
        (await _runs.ListAsync(TestDatabase.NewName(), null, 10, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetAsync_AfterReopen_RunStepsAndEventsSurvive()
    {
        var run = await CreateRunAsync(WorkflowTestData.FullSpec(TestDatabase.NewName()));
        await _runs.SaveAsync(
            run with { State = RunState.Running },
            [new StepRun { RunId = run.Id, StepId = "build", State = StepState.Running, Attempt = 1, StartedAt = Now, ContainerId = "abc" }],
            [WorkflowTestData.Event(run, Now, "step.started", "build", 1)],
            TestTimeouts.Token());

        _database.Reopen();
        var reopened = new SqlRunStore(_database.Database);

        var read = (await reopened.GetAsync(run.Id, TestTimeouts.Token()))!;
        read.State.ShouldBe(RunState.Running);
        JsonSerializer.Serialize(read.Spec, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(run.Spec, BerthJson.Options));
        (await reopened.GetStepsAsync(run.Id, TestTimeouts.Token()))[0].ContainerId.ShouldBe("abc");
        (await reopened.GetEventsAsync(run.Id, 0, 10, TestTimeouts.Token())).Select(e => e.Sequence).ShouldBe([1L, 2]);
        (await reopened.SaveAsync(null, [], [WorkflowTestData.Event(run, Now, "run.succeeded")], TestTimeouts.Token())).Single().Sequence.ShouldBe(3);
    }

    [Fact]
    public async Task GetAsync_StateEditedByHand_StoredDataExceptionNamesTheRun()
    {
        var run = await CreateRunAsync();
        await _database.ExecuteAsync($"UPDATE runs SET state = 'paused' WHERE id = '{run.Id}'");

        var error = await Should.ThrowAsync<StoredDataException>(() => _runs.GetAsync(run.Id, TestTimeouts.Token()));

        error.Message.ShouldContain(run.Id);
        error.Message.ShouldContain("paused");
    }
}

public sealed class SqliteRunStoreTests() : RunStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresRunStoreTests() : RunStoreTests(StoreEngine.Postgres);
