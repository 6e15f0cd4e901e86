using System.Text;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;
using Berth.Testing.Docker;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Tests.Runtime;

/// <summary>Stats and exec of the docker driver against the real engine, on a running echo agent.</summary>
[RequiresDocker]
public sealed class DockerStatsAndExecTests(DockerFixture docker) : IClassFixture<DockerFixture>, IAsyncLifetime
{
    private const long MemoryLimit = 64L * 1024 * 1024;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _agent = $"t{Guid.NewGuid():N}"[..12];
    private DockerAgentRuntime _runtime = null!;

    private DockerEngineClient Client => docker.Client;

    private string InstanceId => $"{_agent}-a1";

    public async Task InitializeAsync()
    {
        var token = TestTimeouts.Token();
        _runtime = new DockerAgentRuntime(Client, Options.Create(new DockerRuntimeOptions { StopGrace = TimeSpan.FromSeconds(1) }), TimeProvider.System);
        var spec = new AgentSpec { Name = _agent, Image = TestImages.EchoAgent, Port = TestImages.EchoAgentPort, Resources = new ResourceSpec { MemoryBytes = MemoryLimit } };
        await _runtime.PrepareAsync(spec, token);
        var instance = await _runtime.StartAsync(
            new InstanceLaunch { InstanceId = InstanceId, Spec = spec, Ordinal = 0, Generation = 1, Environment = new Dictionary<string, string>() },
            token);
        await Eventually.TrueAsync(async ct =>
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(instance.Endpoint!, "health"), ct);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the echo agent answers /health");
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await docker.RemoveLabelledAsync($"berth.agent={_agent}", cts.Token);
        _runtime.Dispose();
    }

    [Fact]
    public async Task GetStatsAsync_RunningAgent_ReportsMemoryWithinItsLimitAndNetworkTraffic()
    {
        var stats = await _runtime.GetStatsAsync(InstanceId, TestTimeouts.Token());

        stats.ShouldNotBeNull();
        stats.InstanceId.ShouldBe(InstanceId);
        stats.MemoryBytes.ShouldBeGreaterThan(0);
        stats.MemoryLimitBytes.ShouldBe(MemoryLimit, "the spec's memory limit is the container's");
        stats.MemoryBytes.ShouldBeLessThan(MemoryLimit);
        stats.NetworkRxBytes.ShouldNotBeNull("the agent sits on its own bridge network, whose traffic the engine counts");
        stats.NetworkRxBytes.Value.ShouldBeGreaterThan(0, "the health probes above reached it over that network");
        stats.NetworkTxBytes.ShouldNotBeNull();
        stats.CpuPercent.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task GetStatsAsync_BusyLoopInTheContainer_ShowsCpuUse()
    {
        var token = TestTimeouts.Token();
        await using var busy = await _runtime.StartExecAsync(InstanceId, new ExecStart { Command = ["sh", "-c", "while :; do :; done"] }, token);
        busy.ShouldNotBeNull();

        // A loaded machine may starve one sample; a spinning shell shows up in one of a few.
        await Eventually.TrueAsync(async ct => (await _runtime.GetStatsAsync(InstanceId, ct))?.CpuPercent > 5, "a spinning shell shows in the CPU figure");
    }

    [Fact]
    public async Task GetStatsAsync_UnknownInstance_ReturnsNull() =>
        (await _runtime.GetStatsAsync($"{_agent}-nope", TestTimeouts.Token())).ShouldBeNull();

    [Fact]
    public async Task StartExecAsync_Command_SeparatesStdoutFromStderrAndReportsItsExitCode()
    {
        var token = TestTimeouts.Token();
        await using var session = await _runtime.StartExecAsync(InstanceId, new ExecStart { Command = ["sh", "-c", "echo out; echo err >&2; exit 3"] }, token);

        session.ShouldNotBeNull();
        var (stdout, stderr) = await ReadAllAsync(session, token);
        stdout.ShouldBe("out\n");
        stderr.ShouldBe("err\n");
        (await session.WaitForExitAsync(token)).ShouldBe(3);
    }

    [Fact]
    public async Task StartExecAsync_InputClosed_CommandReadsItToTheEnd()
    {
        var token = TestTimeouts.Token();
        await using var session = await _runtime.StartExecAsync(InstanceId, new ExecStart { Command = ["sh", "-c", "wc -c; cat"] }, token);

        session.ShouldNotBeNull();
        await session.WriteInputAsync(Encoding.UTF8.GetBytes("hello\n"), token);
        session.CloseInput();
        var (stdout, _) = await ReadAllAsync(session, token);
        stdout.Trim().ShouldBe("6", "wc counted what was sent and returned only because the input ended");
        (await session.WaitForExitAsync(token)).ShouldBe(0);
    }

    [Fact]
    public async Task StartExecAsync_Tty_CommandRunsOnATerminal()
    {
        var token = TestTimeouts.Token();
        await using var session = await _runtime.StartExecAsync(
            InstanceId, new ExecStart { Command = ["sh", "-c", "tty"], Tty = true, Size = new TerminalSize(33, 101) }, token);

        session.ShouldNotBeNull();
        var (stdout, stderr) = await ReadAllAsync(session, token);
        stdout.ShouldContain("/dev/pts/");
        stderr.ShouldBeEmpty("a TTY has one stream");
        (await session.WaitForExitAsync(token)).ShouldBe(0);
    }

    [Fact]
    public async Task StartExecAsync_UnknownInstance_ReturnsNull() =>
        (await _runtime.StartExecAsync($"{_agent}-nope", new ExecStart { Command = ["true"] }, TestTimeouts.Token())).ShouldBeNull();

    private static async Task<(string Stdout, string Stderr)> ReadAllAsync(IExecSession session, CancellationToken token)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await foreach (var chunk in session.ReadOutputAsync(token))
        {
            (chunk.Source == LogSource.Stderr ? stderr : stdout).Write(chunk.Data.Span);
        }

        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
