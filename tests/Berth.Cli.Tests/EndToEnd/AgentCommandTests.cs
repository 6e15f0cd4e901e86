using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>Real command lines against a real server running a real process agent (busybox httpd).</summary>
[Collection(ServerGroup.Name)]
public sealed class AgentCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _name = $"t{Guid.NewGuid():N}"[..12];

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    /// <summary>Writes a spec for an agent that logs a line to each stream, then serves a health file with busybox httpd.</summary>
    private string WriteAgent()
    {
        _directory.Write("www/health", "ok\n");
        var script = $"echo hello from {_name}; echo warming up >&2; exec /bin/busybox httpd -f -p 127.0.0.1:$(PORT) -h www";
        return _directory.Write($"{_name}.yaml", $"""
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {_name}
            spec:
              process:
                command: /bin/sh
                args: ["-c", "{script}"]
                workingDir: .
              health:
                path: /health
                interval: 1s
                timeout: 1s
              restart:
                policy: on-failure
            """);
    }

    private async Task<CliResult> ApplyAndWaitAsync()
    {
        var file = WriteAgent();
        var result = await Harness().RunAsync("apply", "-f", Path.GetFileName(file), "--wait", "--timeout", "60s");
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return result;
    }

    private async Task RemoveQuietlyAsync() => await Harness().RunAsync("rm", _name, "--yes");

    [Fact]
    public async Task ApplyWait_ProcessAgent_ReportsCreatedAndRunning()
    {
        try
        {
            var result = await ApplyAndWaitAsync();

            result.Out.ShouldContain($"agent/{_name} created");
            result.Err.ShouldContain($"agent/{_name} running (1/1 ready)");
            result.Err.ShouldContain("1 agent running");

            var again = await Harness().RunAsync("apply", "-f", $"{_name}.yaml");
            again.ExitCode.ShouldBe(ExitCodes.Ok, again.ToString());
            again.Out.ShouldContain($"agent/{_name} unchanged");
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task GetAndDescribe_RunningAgent_ShowItsStateInstanceAndProxyUrl()
    {
        try
        {
            await ApplyAndWaitAsync();

            var json = await Harness().RunAsync("get", "agents", "-o", "json");
            json.ExitCode.ShouldBe(ExitCodes.Ok, json.ToString());
            var agents = JsonSerializer.Deserialize<List<AgentView>>(json.Out, BerthJson.Options)!;
            var agent = agents.Single(a => a.Name == _name);
            agent.State.ShouldBe(AgentState.Running);
            agent.ReadyReplicas.ShouldBe(1);

            var table = await Harness().RunAsync("get", "agents");
            table.Out.ShouldContain("NAME");
            table.Out.ShouldContain("AGE");
            table.Out.Split('\n').ShouldContain(line => line.Contains(_name) && line.Contains("running") && line.Contains("1/1") && line.Contains("process"));

            var yaml = await Harness().RunAsync("get", "agent", _name, "-o", "yaml");
            yaml.Out.ShouldContain($"name: {_name}");
            yaml.Out.ShouldContain("state: running");

            var describe = await Harness().RunAsync("describe", "agent", _name);
            describe.ExitCode.ShouldBe(ExitCodes.Ok, describe.ToString());
            describe.Out.ShouldContain(agent.Instances.Single().Id);
            describe.Out.ShouldContain("/bin/sh -c");
            describe.Out.ShouldContain($"{server.Url}/agents/{_name}/");
            describe.Out.ShouldContain("Events:");
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task Call_RunningAgent_PrintsTheAgentsAnswerAndStatus()
    {
        try
        {
            await ApplyAndWaitAsync();

            var found = await Harness().RunAsync("call", _name, "/health");
            var missing = await Harness().RunAsync("call", _name, "/no-such-page");

            found.ExitCode.ShouldBe(ExitCodes.Ok, found.ToString());
            found.Out.ShouldBe("ok\n");
            found.Err.ShouldContain("200 OK");
            missing.ExitCode.ShouldBe(ExitCodes.Failure, missing.ToString());
            missing.Err.ShouldContain("404");
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task Call_BadHeader_IsAUsageError()
    {
        var result = await Harness().RunAsync("call", _name, "/", "-H", "no-colon-here");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("Name: value");
    }

    [Fact]
    public async Task Logs_RunningAgent_PrintsStdoutAndMarksStderr()
    {
        try
        {
            await ApplyAndWaitAsync();

            var result = await Harness().RunAsync("logs", _name, "--tail", "10");

            result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
            result.Out.Split('\n').ShouldContain($"hello from {_name}");
            result.Out.Split('\n').ShouldContain("! warming up");
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task LogsFollow_CancelledLikeCtrlC_PrintsWhatArrivedAndExitsCleanly()
    {
        try
        {
            await ApplyAndWaitAsync();

            var result = await Harness().RunUntilAsync(
                ["logs", _name, "-f"], printed => printed.Out.Contains($"hello from {_name}", StringComparison.Ordinal), "the agent's hello line");

            result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
            result.Out.ShouldContain($"hello from {_name}");
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task StopThenStart_RunningAgent_StopsAndRunsAgain()
    {
        try
        {
            await ApplyAndWaitAsync();

            var stop = await Harness().RunAsync("stop", _name);
            stop.ExitCode.ShouldBe(ExitCodes.Ok, stop.ToString());
            stop.Out.ShouldContain($"agent/{_name} stopped");
            var stopped = await Harness().RunAsync("get", "agent", _name, "-o", "json");
            JsonSerializer.Deserialize<AgentView>(stopped.Out, BerthJson.Options)!.DesiredState.ShouldBe(DesiredState.Stopped);

            var start = await Harness().RunAsync("start", _name);
            start.ExitCode.ShouldBe(ExitCodes.Ok, start.ToString());
            start.Out.ShouldContain($"agent/{_name} started");
            using var client = new Berth.Client.BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
            var running = await client.WaitForAgentAsync(_name, AgentState.Running, TestTimeouts.Slow, null, TestTimeouts.Token());
            running.ReadyReplicas.ShouldBe(1);
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task RemoveYes_ExistingAgent_RemovesItSoGetReportsNotFound()
    {
        try
        {
            await ApplyAndWaitAsync();

            var remove = await Harness().RunAsync("rm", _name, "--yes");

            remove.ExitCode.ShouldBe(ExitCodes.Ok, remove.ToString());
            remove.Out.ShouldContain($"agent/{_name} removed");
            var get = await Harness().RunAsync("get", "agent", _name);
            get.ExitCode.ShouldBe(ExitCodes.NotFound, get.ToString());
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }

    [Fact]
    public async Task Describe_UnknownAgent_ReturnsNotFoundWithTheServersProblem()
    {
        var result = await Harness().RunAsync("describe", "agent", _name);

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain(_name);
    }

    [Fact]
    public async Task ApplyWait_AgentThatExits_FailsAndPrintsItsEvents()
    {
        _directory.Write("crash.yaml", $"""
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {_name}
            spec:
              process:
                command: /bin/sh
                args: ["-c", "echo bye; exit 3"]
              restart:
                policy: never
            """);
        try
        {
            var result = await Harness().RunAsync("apply", "-f", "crash.yaml", "--wait", "--timeout", "60s");

            result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
            result.Err.ShouldContain($"agent/{_name} failed");
        }
        finally
        {
            await RemoveQuietlyAsync();
        }
    }
}
