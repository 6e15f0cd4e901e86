using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Commands;

/// <summary>Command lines that must work, or fail clearly, without any server.</summary>
public sealed class OfflineCommandTests : IDisposable
{
    private const string ValidAgent = """
        apiVersion: berth/v1
        kind: Agent
        metadata:
          name: echo
        spec:
          process:
            command: /bin/sh
            args: ["-c", "sleep 60"]
          health:
            interval: 5s
        """;

    private const string InvalidAgent = """
        apiVersion: berth/v1
        kind: Agent
        metadata:
          name: echo
        spec:
          process:
            command: /bin/sh
          health:
            interval: soon
          replicas: -1
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness(string stdin = "", bool interactive = false) =>
        new() { CurrentDirectory = _directory.Path, Stdin = stdin, Interactive = interactive };

    private static string UnreachableServer() => $"http://127.0.0.1:{UnusedPort.Get()}";

    [Fact]
    public async Task Run_UnknownOption_ReturnsUsageAndNamesTheOption()
    {
        var result = await Harness().RunAsync("get", "agents", "--colour");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--colour");
        result.Err.ShouldContain("berth get agents --help");
    }

    [Fact]
    public async Task Run_BadOutputFormat_ReturnsUsage()
    {
        var result = await Harness().RunAsync("get", "agents", "-o", "xml");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("xml");
    }

    [Fact]
    public async Task Run_Help_PrintsVerbsAndSucceeds()
    {
        var result = await Harness().RunAsync("--help");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        foreach (var verb in new[] { "apply", "validate", "get", "describe", "logs", "start", "stop", "restart", "rm" })
        {
            result.Out.ShouldContain(verb);
        }
    }

    [Fact]
    public async Task Validate_ValidFile_PrintsAgentCount()
    {
        _directory.Write("echo.yaml", ValidAgent);

        var result = await Harness().RunAsync("validate", "-f", "echo.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.Trim().ShouldBe("valid: 1 agent, 0 workflows");
    }

    [Fact]
    public async Task Validate_Workflow_CountedAndItsErrorsNamed()
    {
        _directory.Write("wf.yaml", Workflow("needs: ${{ steps.missing.stdout }}"));
        var bad = await Harness().RunAsync("validate", "-f", "wf.yaml");
        _directory.Write("wf.yaml", Workflow("hello"));
        var good = await Harness().RunAsync("validate", "-f", "wf.yaml");

        bad.ExitCode.ShouldBe(ExitCodes.Invalid, bad.ToString());
        bad.Err.ShouldContain("spec.steps[0]");
        bad.Err.ShouldContain("missing");
        good.ExitCode.ShouldBe(ExitCodes.Ok, good.ToString());
        good.Out.Trim().ShouldBe("valid: 0 agents, 1 workflow");
    }

    private static string Workflow(string message) => $$"""
        apiVersion: berth/v1
        kind: Workflow
        metadata: { name: wf }
        spec:
          steps:
            - id: say
              container:
                image: local/busybox:1
                command: ["echo", "{{message}}"]
        """;

    [Fact]
    public async Task Validate_InvalidFile_PrintsEveryErrorWithFileLineAndColumn()
    {
        _directory.Write("bad.yaml", InvalidAgent);

        var result = await Harness().RunAsync("validate", "-f", "bad.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("2 problems found");
        result.Err.ShouldContain("bad.yaml:9:15: spec.health.interval: expected a duration");
        result.Err.ShouldContain("bad.yaml:10:");
        result.Err.ShouldContain("spec.replicas");
    }

    [Fact]
    public async Task Validate_Stdin_ReadsTheSpecFromStandardInput()
    {
        var result = await Harness(stdin: ValidAgent).RunAsync("validate", "-f", "-");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.ShouldContain("valid: 1 agent");
    }

    [Fact]
    public async Task Validate_SameAgentInTwoFiles_ReportsTheDuplicate()
    {
        _directory.Write("a.yaml", ValidAgent);
        _directory.Write("b.yaml", ValidAgent);

        var result = await Harness().RunAsync("validate", "-f", "a.yaml", "-f", "b.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("defined more than once (in a.yaml and b.yaml)");
    }

    [Fact]
    public async Task Validate_MissingFile_ReturnsUsageNamingTheFile()
    {
        var result = await Harness().RunAsync("validate", "-f", "nope.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("file not found: nope.yaml");
    }

    [Fact]
    public async Task Apply_InvalidFile_FailsWithoutContactingTheServer()
    {
        _directory.Write("bad.yaml", InvalidAgent);

        var result = await Harness().RunAsync("apply", "-f", "bad.yaml", "--server", UnreachableServer());

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("spec.health.interval");
        result.Err.ShouldContain("nothing was applied");
        result.Err.ShouldNotContain("cannot reach");
    }

    [Fact]
    public async Task Apply_BadTimeout_ReturnsUsage()
    {
        _directory.Write("echo.yaml", ValidAgent);

        var result = await Harness().RunAsync("apply", "-f", "echo.yaml", "--wait", "--timeout", "forever");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("'forever' is not a duration");
    }

    [Fact]
    public async Task GetAgents_ServerUnreachable_SaysHowToStartItAndReturnsUnavailable()
    {
        var server = UnreachableServer();

        var result = await Harness().RunAsync("get", "agents", "--server", server);

        result.ExitCode.ShouldBe(ExitCodes.Unavailable, result.ToString());
        result.Err.Trim().ShouldBe($"error: cannot reach Berth at {server}: start it with 'berth server' or pass --server");
    }

    [Fact]
    public async Task GetAgents_BerthUrlSet_UsesIt()
    {
        var server = UnreachableServer();
        var harness = Harness();
        harness.Environment["BERTH_URL"] = server;

        var result = await harness.RunAsync("get", "agents");

        result.ExitCode.ShouldBe(ExitCodes.Unavailable, result.ToString());
        result.Err.ShouldContain($"cannot reach Berth at {server}");
    }

    [Fact]
    public async Task GetAgents_ServerNotAUrl_ReturnsUsage()
    {
        var result = await Harness().RunAsync("get", "agents", "--server", "localhost:2378");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--server must be an http:// or https:// URL");
    }

    [Fact]
    public async Task Remove_NoYesWithoutTerminal_RefusesAndNamesTheFlag()
    {
        var result = await Harness().RunAsync("rm", "echo", "--server", UnreachableServer());

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("pass --yes");
    }

    [Fact]
    public async Task Remove_NonInteractiveFlagOnATerminal_RefusesAndNamesTheFlag()
    {
        var result = await Harness(interactive: true).RunAsync("rm", "--all", "--non-interactive", "--server", UnreachableServer());

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("pass --yes");
    }

    [Fact]
    public async Task Remove_NeitherNameNorAll_ReturnsUsage()
    {
        var result = await Harness().RunAsync("rm", "--yes");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("pass an agent name or --all");
    }

    [Fact]
    public async Task Stop_NameAndAll_ReturnsUsage()
    {
        var result = await Harness().RunAsync("stop", "echo", "--all");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("not both");
    }

    [Fact]
    public async Task Logs_BadSince_ReturnsUsage()
    {
        var result = await Harness().RunAsync("logs", "echo", "--since", "yesterday", "--server", UnreachableServer());

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--since must be a duration");
    }
}
