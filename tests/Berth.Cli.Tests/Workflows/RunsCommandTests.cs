using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Workflows;

/// <summary><c>berth runs …</c> and <c>berth workflows …</c> rendering against a stub API over real HTTP.</summary>
public sealed class RunsCommandTests : IAsyncLifetime
{
    private StubApiServer _api = null!;

    public async Task InitializeAsync() => _api = await StubApiServer.StartAsync(TestTimeouts.Token());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<CliResult> RunAsync(params string[] args) =>
        new CliHarness().RunAsync([.. args, "--server", _api.Url, "--token", "t"]);

    [Fact]
    public async Task RunsGet_Table_ShowsEveryStepWithStateAttemptDurationCacheAndFailure()
    {
        var steps = string.Join(',',
            RunJson.Step("fetch", "cached", 0, ",\"cacheKey\":\"sha256:a\""),
            RunJson.Step("build", "failed", 3, ",\"cacheKey\":\"sha256:b\",\"failure\":{\"class\":\"user\",\"message\":\"make failed\",\"exitCode\":2}"),
            """{"id":"ship","kind":"agent","needs":["build"],"state":"skipped","attempt":0}""");
        _api.On("GET /api/v1/runs/r1", 200, RunJson.Run("failed", steps, ",\"finishedAt\":\"2026-01-01T00:00:05Z\",\"error\":\"step build failed\""));

        var result = await RunAsync("runs", "get", "r1");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("STEP");
        result.Out.ShouldContain("Error:");
        result.Out.ShouldContain("step build failed");
        result.Out.ShouldContain("""{"count":3}""");
        var lines = result.Out.Split('\n');
        var fetch = lines.Single(l => l.TrimStart().StartsWith("fetch", StringComparison.Ordinal));
        fetch.ShouldContain("cached");
        fetch.ShouldContain("hit");
        var build = lines.Single(l => l.TrimStart().StartsWith("build", StringComparison.Ordinal));
        build.ShouldContain("failed");
        build.ShouldContain(" 3 ");
        build.ShouldContain("2.5s");
        build.ShouldContain("miss");
        build.ShouldContain("user: make failed (exit 2)");
        lines.Single(l => l.TrimStart().StartsWith("ship", StringComparison.Ordinal)).ShouldContain("skipped");
    }

    [Fact]
    public async Task RunsGet_UnknownRun_ExitsNotFound()
    {
        var result = await RunAsync("runs", "get", "nope");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
    }

    [Fact]
    public async Task RunsLs_Filters_SentAndStepCountsSummarised()
    {
        _api.On("GET /api/v1/runs", 200, $"[{RunJson.Run("running", extra: ",\"stepCounts\":{\"running\":1,\"succeeded\":2}")}]");

        var result = await RunAsync("runs", "ls", "--workflow", "wf", "--state", "running", "--limit", "5");

        result.ExitCode.ShouldBe(0, result.ToString());
        _api.Paths.ShouldContain("GET /api/v1/runs?workflow=wf&state=running&limit=5");
        var row = result.Out.Split('\n').Single(l => l.Contains("r1", StringComparison.Ordinal));
        row.ShouldContain("wf");
        row.ShouldContain("running");
        row.ShouldContain("1 running, 2 succeeded");
        row.ShouldContain("admin");
    }

    [Fact]
    public async Task RunsLs_UnknownState_UsageErrorListingTheStates()
    {
        var result = await RunAsync("runs", "ls", "--state", "done");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("queued, running, succeeded, failed, cancelled");
        _api.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunsExplain_Miss_PrintsTheMessageAndEachDifference()
    {
        _api.On("GET /api/v1/runs/r1/steps/build/explain", 200, """
            {"runId":"r1","stepId":"build","hit":false,"key":"sha256:b","closestCreatedAt":"2026-01-01T00:00:00Z",
             "differences":["file:/in/a.txt changed","env.MODE added"],"message":"build ran: 2 inputs differ from the run of 2026-01-01"}
            """);

        var result = await RunAsync("runs", "explain", "r1", "build");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.Trim()).ToList();
        lines[0].ShouldBe("build ran: 2 inputs differ from the run of 2026-01-01");
        lines.ShouldContain("cache: miss");
        lines.ShouldContain("file:/in/a.txt changed");
        lines.ShouldContain("env.MODE added");
    }

    [Fact]
    public async Task RunsLogs_StepFilter_PrintsOnlyThatStepsLinesPrefixed()
    {
        var stream = RunJson.Event(1, "step.started", "a") + RunJson.Event(2, "step.log", "a", "from a") +
            RunJson.Event(3, "step.log", "b", "from b") + RunJson.Event(4, "run.succeeded");
        _api.OnEvents("GET /api/v1/runs/r1/events", stream);

        var result = await RunAsync("runs", "logs", "r1", "--step", "a");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.Trim().ShouldBe("a | from a");
        _api.Paths.ShouldContain("GET /api/v1/runs/r1/events?after=0&follow=false");
    }

    [Fact]
    public async Task RunsCancel_Finished_ExitsFailureWithTheReason()
    {
        _api.OnProblem("POST /api/v1/runs/r1/cancel", 409, """{"title":"Run finished","status":409,"detail":"run r1 already succeeded"}""");

        var result = await RunAsync("runs", "cancel", "r1");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        result.Err.ShouldContain("run r1 already succeeded");
    }

    [Fact]
    public async Task WorkflowsLs_Table_NamesInputsAndSteps()
    {
        _api.On("GET /api/v1/workflows", 200, $"[{RunJson.WorkflowRecord}]");

        var result = await RunAsync("workflows", "ls");

        result.ExitCode.ShouldBe(0, result.ToString());
        var row = result.Out.Split('\n').Single(l => l.TrimStart().StartsWith("wf", StringComparison.Ordinal));
        row.ShouldContain("count, mode");
    }

    [Fact]
    public async Task WorkflowsRm_WithoutYesOffATerminal_RefusedAndNothingDeleted()
    {
        var result = await RunAsync("workflows", "rm", "wf");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--yes");
        _api.Requests.ShouldBeEmpty();
    }
}
