using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Workflows;

/// <summary><c>berth run</c> (with and without <c>--watch</c>) and <c>berth apply</c> of workflows against a stub API over real HTTP.</summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private const string WorkflowFile = """
        apiVersion: berth/v1
        kind: Workflow
        metadata: { name: wf }
        spec:
          inputs:
            count: { type: number, required: true }
          steps:
            - id: say
              container:
                image: local/busybox:1
                command: ["echo", "hi"]
        """;

    private readonly TempDirectory _directory = new();
    private StubApiServer _api = null!;

    public async Task InitializeAsync() => _api = await StubApiServer.StartAsync(TestTimeouts.Token());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _directory.Dispose();
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        new CliHarness { CurrentDirectory = _directory.Path }.RunAsync([.. args, "--server", _api.Url, "--token", "t"]);

    private void StubWatch(string finalState, string finalSteps, string events, string extra = "")
    {
        _api.On("POST /api/v1/workflows/wf/runs", 201, RunJson.Run("queued"));
        _api.On("GET /api/v1/runs/r1", 200, RunJson.Run("running", RunJson.Step("say", "running")), RunJson.Run(finalState, finalSteps, extra));
        _api.OnEvents("GET /api/v1/runs/r1/events", events);
    }

    [Fact]
    public async Task Run_NoWatch_PrintsOnlyTheRunIdAndAHint()
    {
        _api.On("POST /api/v1/workflows/wf/runs", 201, RunJson.Run("queued"));

        var result = await RunAsync("run", "wf");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.Trim().ShouldBe("r1");
        result.Err.ShouldContain("berth runs get r1");
        _api.Requests.ShouldHaveSingleItem().Body.ShouldBe("{}");
    }

    [Fact]
    public async Task Run_Inputs_TypedByTheWorkflowsDeclaredInputs()
    {
        _api.On("GET /api/v1/workflows/wf", 200, RunJson.WorkflowRecord);
        _api.On("POST /api/v1/workflows/wf/runs", 201, RunJson.Run("queued"));

        var result = await RunAsync("run", "wf", "--input", "count=3", "--input", "mode=a=b");

        result.ExitCode.ShouldBe(0, result.ToString());
        _api.Requests.Single(r => r.Request.StartsWith("POST", StringComparison.Ordinal)).Body.ShouldBe("""{"inputs":{"count":3,"mode":"a=b"}}""");
    }

    [Fact]
    public async Task Run_InputOfTheWrongType_RefusedBeforeAnyRunStarts()
    {
        _api.On("GET /api/v1/workflows/wf", 200, RunJson.WorkflowRecord);

        var result = await RunAsync("run", "wf", "--input", "count=many", "--input", "colour=red");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("inputs.count");
        result.Err.ShouldContain("inputs.colour: unknown input");
        _api.Paths.ShouldNotContain(p => p.StartsWith("POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_NameAndFileTogether_UsageError()
    {
        var result = await RunAsync("run", "wf", "-f", "wf.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        _api.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_File_AppliesTheWorkflowThenStartsIt()
    {
        _directory.Write("wf.yaml", WorkflowFile);
        _api.On("PUT /api/v1/workflows/wf", 201, $$"""{"outcome":"created","workflow":{{RunJson.WorkflowRecord}}}""");
        _api.On("POST /api/v1/workflows/wf/runs", 201, RunJson.Run("queued"));

        var result = await RunAsync("run", "-f", "wf.yaml", "--input", "count=3");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.Trim().ShouldBe("r1");
        result.Err.ShouldContain("workflow/wf created");
        _api.Paths.Where(p => !p.StartsWith("GET", StringComparison.Ordinal)).ShouldBe(["PUT /api/v1/workflows/wf", "POST /api/v1/workflows/wf/runs"]);
        _api.Requests.Last().Body.ShouldBe("""{"inputs":{"count":3}}""");
    }

    [Fact]
    public async Task Apply_WorkflowFile_AppliedAndReported()
    {
        _directory.Write("wf.yaml", WorkflowFile);
        _api.On("PUT /api/v1/workflows/wf", 200, $$"""{"outcome":"unchanged","workflow":{{RunJson.WorkflowRecord}}}""");

        var result = await RunAsync("apply", "-f", "wf.yaml");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.Trim().ShouldBe("workflow/wf unchanged");
    }

    [Fact]
    public async Task RunWatch_NonInteractive_PrintsALinePerEventAndExitsZero()
    {
        var events = RunJson.Event(1, "run.started") + ": keep-alive\n\n" + RunJson.Event(2, "step.started", "say", attempt: 1) +
            RunJson.Event(3, "step.log", "say", "hi") + RunJson.Event(4, "step.succeeded", "say", attempt: 1) + RunJson.Event(5, "run.succeeded");
        StubWatch("succeeded", RunJson.Step("say", "succeeded"), events, ",\"finishedAt\":\"2026-01-01T00:00:04Z\"");

        var result = await RunAsync("run", "wf", "--watch");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.Trim().ShouldBe("r1");
        var lines = result.Err.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        lines.ShouldBe([
            "run/r1 of workflow wf: running",
            "run/r1 started",
            "step/say started",
            "say | hi",
            "step/say succeeded",
            "run/r1 succeeded",
            "run/r1 succeeded in 4.0s",
        ]);
        _api.Paths.ShouldContain("GET /api/v1/runs/r1/events?after=0&follow=true");
    }

    [Fact]
    public async Task RunWatch_StepFails_ExitsFailureNamingTheStepClassAndLogTail()
    {
        var failed = RunJson.Step("say", "failed", 2, ",\"failure\":{\"class\":\"timeout\",\"message\":\"ran past 5s\",\"logTail\":\"line one\\nline two\"}");
        var events = RunJson.Event(1, "step.retrying", "say", "exit 1", attempt: 2) +
            RunJson.Event(2, "step.failed", "say", "ran past 5s", attempt: 2) + RunJson.Event(3, "run.failed", message: "step say failed");
        StubWatch("failed", failed, events, ",\"error\":\"step say failed\"");

        var result = await RunAsync("run", "wf", "--watch");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        result.Err.ShouldContain("step/say retrying (attempt 2): exit 1");
        result.Err.ShouldContain("step/say failed: timeout: ran past 5s");
        result.Err.ShouldContain("    line two");
    }

    [Fact]
    public async Task RunWatch_RunCancelled_ExitsCancelled()
    {
        StubWatch("cancelled", RunJson.Step("say", "cancelled"), RunJson.Event(1, "run.cancelled", message: "cancelled by admin"));

        var result = await RunAsync("run", "wf", "--watch");

        result.ExitCode.ShouldBe(ExitCodes.Cancelled, result.ToString());
        result.Err.ShouldContain("run/r1 cancelled: cancelled by admin");
    }

    [Fact]
    public async Task RunWatch_CtrlC_StopsWatchingAndSaysTheRunGoesOn()
    {
        _api.On("POST /api/v1/workflows/wf/runs", 201, RunJson.Run("queued"));
        _api.On("GET /api/v1/runs/r1", 200, RunJson.Run("running", RunJson.Step("say", "running")));
        _api.OnEvents("GET /api/v1/runs/r1/events", "");

        // Interrupted once it follows the run's events: it is watching then, whatever the machine's pace.
        var result = await new CliHarness().RunUntilAsync(
            ["run", "wf", "--watch", "--server", _api.Url, "--token", "t"],
            _ => _api.Paths.Any(p => p.StartsWith("GET /api/v1/runs/r1/events", StringComparison.Ordinal)),
            "the watch to follow the run's events");

        result.ExitCode.ShouldBe(ExitCodes.Cancelled, result.ToString());
        result.Err.ShouldContain("stopped watching");
        result.Err.ShouldContain("berth runs cancel r1");
        _api.Paths.ShouldNotContain("POST /api/v1/runs/r1/cancel");
    }
}
