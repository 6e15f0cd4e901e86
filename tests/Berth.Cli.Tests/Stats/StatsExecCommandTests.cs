using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Core.Specs;
using Berth.Testing;

namespace Berth.Cli.Tests.Stats;

/// <summary><c>berth stats</c> (watch included) and the refusals of <c>berth exec</c> against a real server with the process runtime.</summary>
[Collection(ServerGroup.Name)]
public sealed class StatsExecCommandTests(ServerFixture server) : IAsyncLifetime
{
    private readonly string _name = $"s{Guid.NewGuid():N}"[..12];
    private readonly TempDirectory _www = new();

    public async Task InitializeAsync()
    {
        using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        _www.Write("health", "ok\n");
        await client.ApplyAgentAsync(
            new AgentSpec
            {
                Name = _name,
                Process = new ProcessSpec { Command = "/bin/sh", Args = ["-c", $"exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h {_www.Path}"] },
                Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
            },
            TestTimeouts.Token());
        await client.WaitForAgentAsync(_name, Core.Agents.AgentState.Running, TestTimeouts.Slow, null, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        await client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), TestTimeouts.Token());
        _www.Dispose();
    }

    [Fact]
    public async Task Stats_ProcessAgent_ShowsDashesForLimitAndNetwork()
    {
        var result = await Harness().RunAsync("stats", _name);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var row = result.Out.Split('\n').Single(l => l.StartsWith(_name, StringComparison.Ordinal));
        row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(c => c == "-").ShouldBe(4, $"limit, mem %, net rx and net tx are unknown for a process: {row}");
    }

    [Fact]
    public async Task Stats_Watch_SamplesAgainUntilInterrupted()
    {
        var result = await Harness().RunUntilAsync(
            ["stats", _name, "--watch", "--interval", "1s"],
            soFar => CountHeaders(soFar.Out) >= 2,
            "two samples of the watched agent");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        CountHeaders(result.Out).ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Stats_AllAsJson_IsTheAllAgentsAnswer()
    {
        var result = await Harness().RunAsync("stats", "--all", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(result.Out);
        document.RootElement.GetProperty("agents").EnumerateArray().ShouldContain(a => a.GetProperty("agent").GetString() == _name);
    }

    [Fact]
    public async Task Stats_NameAndAll_IsAUsageError()
    {
        var result = await Harness().RunAsync("stats", _name, "--all");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
    }

    [Fact]
    public async Task Exec_ProcessAgent_IsRefusedSayingWhatToDoInstead()
    {
        var result = await Harness().RunAsync("exec", _name, "--", "id");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        result.Err.ShouldContain("runs as a local process");
        result.Err.ShouldContain("run the agent from an image");
    }

    [Fact]
    public async Task Exec_UnknownAgent_ExitsNotFound()
    {
        var result = await Harness().RunAsync("exec", "no-such-agent", "--", "id");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
    }

    private static int CountHeaders(string output) => output.Split('\n').Count(l => l.Contains("INSTANCE", StringComparison.Ordinal));

    private CliHarness Harness()
    {
        var harness = new CliHarness();
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }
}
