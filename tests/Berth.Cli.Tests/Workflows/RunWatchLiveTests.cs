using Berth.Testing;
using Spectre.Console.Testing;

namespace Berth.Cli.Tests.Workflows;

/// <summary><c>berth run --watch</c> on a terminal: a live table of the steps instead of event lines.</summary>
public sealed class RunWatchLiveTests : IAsyncLifetime
{
    private StubApiServer _api = null!;

    public async Task InitializeAsync() => _api = await StubApiServer.StartAsync(TestTimeouts.Token());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task RunWatch_Terminal_DrawsTheStepsTableWithTheLastLogLine()
    {
        var failed = RunJson.Step("say", "failed", 1, ",\"failure\":{\"class\":\"user\",\"message\":\"exit 3\"}");
        _api.On("POST /api/v1/workflows/wf/runs", 201, RunJson.Run("queued"));
        _api.On("GET /api/v1/runs/r1", 200, RunJson.Run("running", RunJson.Step("say", "running")), RunJson.Run("failed", failed));
        _api.OnEvents("GET /api/v1/runs/r1/events", RunJson.Event(1, "step.log", "say", "last words") + RunJson.Event(2, "run.failed"));
        var terminal = new TestConsole().Width(200).Interactive().EmitAnsiSequences();
        var data = new StringWriter();
        var context = new CliContext
        {
            Console = terminal,
            OutConsole = terminal,
            Out = data,
            In = new StringReader(""),
            GetEnvironmentVariable = _ => null,
            CurrentDirectory = Path.GetTempPath(),
            IsInteractive = true,
        };

        var exitCode = await CliApp.RunAsync(["run", "wf", "--watch", "--server", _api.Url, "--token", "t"], context, TestTimeouts.Token())
            .WaitAsync(TestTimeouts.Slow);

        var screen = terminal.Output;
        exitCode.ShouldBe(ExitCodes.Failure, screen);
        screen.ShouldContain("LAST LOG");
        screen.ShouldContain("last words");
        screen.ShouldContain("user: exit 3");
        screen.ShouldNotContain("step/say started");
        data.ToString().Trim().ShouldBe("r1");
    }
}
