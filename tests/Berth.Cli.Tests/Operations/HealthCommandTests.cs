using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Serialization;

namespace Berth.Cli.Tests.Operations;

/// <summary><c>berth health</c> against a real server probing a real process agent (busybox httpd) now.</summary>
[Collection(ServerGroup.Name)]
public sealed class HealthCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _name = $"h{Guid.NewGuid():N}"[..12];

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness(string? token = null)
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = token ?? server.AdminToken;
        return harness;
    }

    /// <summary>Two replicas of busybox httpd serving www/health; the reconciler probes rarely, so what the test changes stays put.</summary>
    private async Task ApplyAsync()
    {
        _directory.Write("www/health", "ok\n");
        _directory.Write($"{_name}.yaml", $"""
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {_name}
            spec:
              process:
                command: /bin/busybox
                args: ["httpd", "-f", "-p", "127.0.0.1:$(PORT)", "-h", "www"]
                workingDir: .
              replicas: 2
              health:
                path: /health
                interval: 5m
                timeout: 2s
            """);
        var result = await Harness().RunAsync("apply", "-f", $"{_name}.yaml", "--wait", "--timeout", "60s");
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task Health_HealthyAgent_PrintsEachInstancePassingAndExitsZero()
    {
        try
        {
            await ApplyAsync();

            var table = await Harness().RunAsync("health", _name);
            var json = await Harness().RunAsync("health", _name, "-o", "json");

            table.ExitCode.ShouldBe(ExitCodes.Ok, table.ToString());
            table.Out.ShouldContain("LATENCY");
            table.Out.Split('\n').Count(line => line.Contains("healthy") && line.Contains("200") && line.Contains("GET /health 200")).ShouldBe(2, table.ToString());
            table.Err.ShouldContain($"agent/{_name} healthy: 2/2 instances passed GET /health");
            json.ExitCode.ShouldBe(ExitCodes.Ok, json.ToString());
            var report = JsonSerializer.Deserialize<AgentHealthReport>(json.Out, BerthJson.Options)!;
            report.Healthy.ShouldBeTrue();
            report.Probe.ShouldBe("GET /health");
            report.Instances.Select(i => i.Ordinal).ShouldBe([0, 1]);
            report.Instances.ShouldAllBe(i => i.Healthy && i.StatusCode == 200 && i.LatencyMs >= 0);
        }
        finally
        {
            await Harness().RunAsync("rm", _name, "--yes");
        }
    }

    [Fact]
    public async Task Health_ViewerToken_MayProbe()
    {
        try
        {
            await ApplyAsync();
            var viewer = (await Harness().RunAsync("tokens", "create", "--role", "viewer", "--expires", "1h", "--description", _name)).Out.Trim();

            var result = await Harness(viewer).RunAsync("health", _name);

            result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        }
        finally
        {
            await Harness().RunAsync("rm", _name, "--yes");
        }
    }

    [Fact]
    public async Task Health_HealthPathStartsFailing_ReportsTheStatusAtOnceAndExitsUnhealthy()
    {
        try
        {
            await ApplyAsync();
            File.Delete(Path.Combine(_directory.Path, "www", "health"));

            var table = await Harness().RunAsync("health", _name);
            var json = await Harness().RunAsync("health", _name, "-o", "json");

            table.ExitCode.ShouldBe(ExitCodes.Unhealthy, table.ToString());
            table.Out.Split('\n').Count(line => line.Contains("unhealthy") && line.Contains("GET /health answered 404")).ShouldBe(2, table.ToString());
            table.Err.ShouldContain($"agent/{_name} unhealthy: 0/2 instances passed GET /health");
            json.ExitCode.ShouldBe(ExitCodes.Unhealthy, json.ToString());
            var report = JsonSerializer.Deserialize<AgentHealthReport>(json.Out, BerthJson.Options)!;
            report.Healthy.ShouldBeFalse();
            report.Instances.ShouldAllBe(i => !i.Healthy && i.StatusCode == 404);
            var agent = JsonSerializer.Deserialize<AgentView>((await Harness().RunAsync("get", "agent", _name, "-o", "json")).Out, BerthJson.Options)!;
            agent.Instances.ShouldAllBe(i => i.State == Berth.Core.Agents.InstanceState.Running, "an on-demand probe records nothing: rotation is the reconciler's");
        }
        finally
        {
            await Harness().RunAsync("rm", _name, "--yes");
        }
    }

    [Fact]
    public async Task Health_StoppedAgent_SaysThereIsNothingToProbeAndExitsUnhealthy()
    {
        try
        {
            await ApplyAsync();
            (await Harness().RunAsync("stop", _name)).ExitCode.ShouldBe(ExitCodes.Ok);
            await Berth.Testing.Eventually.TrueAsync(
                async ct => (await Harness().RunAsync(["get", "agent", _name], ct)).Out.Contains("stopped", StringComparison.Ordinal), "the agent to be stopped");

            var result = await Harness().RunAsync("health", _name);

            result.ExitCode.ShouldBe(ExitCodes.Unhealthy, result.ToString());
            result.Err.ShouldContain($"agent/{_name} unhealthy");
        }
        finally
        {
            await Harness().RunAsync("rm", _name, "--yes");
        }
    }

    [Fact]
    public async Task Health_AgentWithoutHealthPath_ProbesTheTcpPort()
    {
        try
        {
            _directory.Write("www/index.html", "hi\n");
            _directory.Write($"{_name}.yaml", $"""
                apiVersion: berth/v1
                kind: Agent
                metadata:
                  name: {_name}
                spec:
                  process:
                    command: /bin/busybox
                    args: ["httpd", "-f", "-p", "127.0.0.1:$(PORT)", "-h", "www"]
                    workingDir: .
                """);
            (await Harness().RunAsync("apply", "-f", $"{_name}.yaml", "--wait", "--timeout", "60s")).ExitCode.ShouldBe(ExitCodes.Ok);

            var result = await Harness().RunAsync("health", _name, "-o", "json");

            result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
            var report = JsonSerializer.Deserialize<AgentHealthReport>(result.Out, BerthJson.Options)!;
            report.Probe.ShouldBe("tcp connect");
            var instance = report.Instances.ShouldHaveSingleItem();
            (instance.Healthy, instance.StatusCode).ShouldBe((true, (int?)null));
            instance.Detail.ShouldContain("open");
        }
        finally
        {
            await Harness().RunAsync("rm", _name, "--yes");
        }
    }

    [Fact]
    public async Task Health_UnknownAgent_ExitsNotFound()
    {
        var result = await Harness().RunAsync("health", "no-such-agent");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain("No agent named 'no-such-agent'");
    }
}
