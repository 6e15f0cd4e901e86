using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Core.Specs;
using Berth.Server;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Cli.Tests.Stats;

/// <summary><c>berth stats</c> and <c>berth exec</c> against a real server with the docker runtime running a real container agent.</summary>
[RequiresDocker]
public sealed class StatsExecDockerCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"berth-cli-exec-{Guid.NewGuid():N}"[..30]);
    private readonly string _name = $"x{Guid.NewGuid():N}"[..12];
    private BerthServer _server = null!;

    private string AdminToken => File.ReadAllText(Path.Combine(_dataDirectory, "admin.token")).Trim();

    public async Task InitializeAsync()
    {
        using (var docker = await DockerTestEnvironment.RequireAsync())
        {
            await TestImages.EnsureEchoAgentAsync(docker, TestTimeouts.Token());
        }

        _server = await BerthServer.StartAsync(["--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory, "--runtime", "docker"], TestTimeouts.Token());
        using var client = new BerthClient(_server.Address) { Token = AdminToken };
        await client.ApplyAgentAsync(
            new AgentSpec
            {
                Name = _name,
                Image = TestImages.EchoAgent,
                Port = TestImages.EchoAgentPort,
                Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
            },
            TestTimeouts.Token());
        await client.WaitForAgentAsync(_name, Core.Agents.AgentState.Running, TestTimeouts.Slow, null, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        using (var client = new BerthClient(_server.Address) { Token = AdminToken })
        {
            await client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(60), TestTimeouts.Token());
        }

        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Exec_Command_PrintsItsStreamsAndExitsWithItsCode()
    {
        var result = await Harness().RunAsync("exec", _name, "--", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 4");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Out.ShouldBe("to-stdout\n");
        result.Err.ShouldContain("to-stderr");
    }

    [Fact]
    public async Task Exec_StdinNotATerminal_IsPipedToTheCommand()
    {
        var result = await Harness("hello piped\nsecond line\n").RunAsync("exec", _name, "--", "sh", "-c", "tr a-z A-Z; echo end");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.ShouldBe("HELLO PIPED\nSECOND LINE\nend\n");
    }

    [Fact]
    public async Task Exec_CommandExitsBeforeReadingItsInput_StillReportsItsExitCode()
    {
        var result = await Harness(new string('x', 4 * 1024 * 1024)).RunAsync("exec", _name, "--", "sh", "-c", "exit 9");

        result.ExitCode.ShouldBe(9, result.ToString());
    }

    [Fact]
    public async Task Exec_UnknownInstance_ExitsNotFoundSayingSo()
    {
        var result = await Harness().RunAsync("exec", _name, "--instance", "nope-0", "--", "true");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain("no instance 'nope-0'");
    }

    [Fact]
    public async Task Stats_Agent_PrintsATableRowPerInstanceWithMemoryAndNetwork()
    {
        var result = await Harness().RunAsync("stats", _name);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.ShouldContain("INSTANCE");
        result.Out.ShouldContain("NET RX");
        var row = result.Out.Split('\n').Single(l => l.Contains(_name, StringComparison.Ordinal) && !l.Contains("INSTANCE", StringComparison.Ordinal));
        row.ShouldMatch(@"\d[KMGT]iB +\d+(\.\d+)?[KMGT]iB", "memory and its limit are shown in binary units");
        row.ShouldNotContain(" - ", Case.Sensitive, "a container's limit and network are known");
    }

    [Fact]
    public async Task Stats_JsonOutput_IsTheApisAnswer()
    {
        var result = await Harness().RunAsync("stats", _name, "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        document.RootElement.GetProperty("agent").GetString().ShouldBe(_name);
        document.RootElement.GetProperty("instances").EnumerateArray().ShouldHaveSingleItem().GetProperty("networkRxBytes").GetInt64().ShouldBeGreaterThan(0);
    }

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { Stdin = stdin };
        harness.Environment["BERTH_URL"] = _server.Address.ToString();
        harness.Environment["BERTH_TOKEN"] = AdminToken;
        return harness;
    }
}
