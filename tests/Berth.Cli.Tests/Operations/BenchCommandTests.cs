using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Commands;
using Berth.Cli.Commands.Bench;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Cli.Tests.Llm;
using Berth.Client;
using Berth.Core.Agents;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Cli.Tests.Operations;

/// <summary><c>berth bench</c> through a real server's proxy against real process agents (busybox httpd and CGI scripts).</summary>
[Collection(ServerGroup.Name)]
public sealed class BenchCommandTests(ServerFixture server) : IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _first = $"b{Guid.NewGuid():N}"[..12];
    private readonly string _second = $"c{Guid.NewGuid():N}"[..12];

    public async Task InitializeAsync()
    {
        using var client = Client();
        var token = TestTimeouts.Token();
        foreach (var name in new[] { _first, _second })
        {
            await client.ApplyAgentAsync(_agent.Spec(name), token);
        }

        foreach (var name in new[] { _first, _second })
        {
            await client.WaitForAgentAsync(name, AgentState.Running, TestTimeouts.Slow, null, token);
        }
    }

    public async Task DisposeAsync()
    {
        using var client = Client();
        foreach (var name in new[] { _first, _second })
        {
            await client.RemoveAgentAsync(name, TimeSpan.FromSeconds(30), TestTimeouts.Token());
        }

        _agent.Dispose();
    }

    private BerthClient Client() => new(new Uri(server.Url)) { Token = server.AdminToken };

    private CliHarness Harness()
    {
        var harness = new CliHarness();
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    private static BenchReport Report(CliResult result) => JsonSerializer.Deserialize(result.Out, BenchJson.Default.BenchReport)!;

    [Fact]
    public async Task Bench_ChatAnswersWithUsage_JsonHasEveryFigureAndTheTokensPerRequest()
    {
        var result = await Harness().RunAsync("bench", _first, "/cgi-bin/chat", "--requests", "20", "--concurrency", "4", "-d", """{"messages":[]}""", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var report = Report(result);
        (report.Agent, report.Method, report.Path, report.Concurrency, report.RequestsAsked).ShouldBe((_first, "POST", "/cgi-bin/chat", 4, (int?)20));
        (report.Requests, report.Succeeded, report.Failed, report.SuccessRate).ShouldBe((20, 20, 0, 1.0));
        report.StatusCodes.ShouldBe(new Dictionary<string, int> { ["200"] = 20 });
        report.Errors.ShouldBeEmpty();
        report.Throughput.ShouldBeGreaterThan(0);
        var latency = report.LatencyMs.ShouldNotBeNull();
        latency.Min.ShouldBeLessThanOrEqualTo(latency.P50);
        latency.P50.ShouldBeLessThanOrEqualTo(latency.P95);
        latency.P95.ShouldBeLessThanOrEqualTo(latency.P99);
        latency.P99.ShouldBeLessThanOrEqualTo(latency.Max);
        var tokens = report.Tokens.ShouldNotBeNull();
        (tokens.Responses, tokens.PromptTokens, tokens.CompletionTokens, tokens.TotalTokens)
            .ShouldBe((20, BusyboxHttpAgent.ChatUsage.Prompt, BusyboxHttpAgent.ChatUsage.Completion, (double)BusyboxHttpAgent.ChatUsage.Total));
        report.ColdStart.ShouldBeNull("no --cold-start, so the agent was not restarted");
        var resources = report.Resources.ShouldNotBeNull("the server's stats route samples the process agent");
        resources.Samples.ShouldBeGreaterThanOrEqualTo(1);
        resources.MemoryBytesMax.ShouldBeGreaterThan(0, "busybox httpd's resident memory");
        result.Out.ShouldContain("\"latencyMs\": {");
        result.Out.ShouldContain("\"coldStart\": null", customMessage: "every field is written, null when not measured");
        report.Gateway.ShouldBeNull("the agent made no LLM call through the gateway");
    }

    [Fact]
    public async Task Bench_Table_ReadsAtAGlanceWithoutAProgressBarWhenRedirected()
    {
        var result = await Harness().RunAsync("bench", _first, "/health", "-n", "10");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.ShouldContain($"agent/{_first}  GET /health  ·  10 requests, concurrency 10");
        var lines = result.Out.Split('\n');
        var header = lines.Single(l => l.Contains("REQUESTS", StringComparison.Ordinal));
        foreach (var column in new[] { "OK", "FAILED", "SUCCESS", "REQ/S", "P50", "P95", "P99", "MAX" })
        {
            header.ShouldContain(column);
        }

        lines.ShouldContain(l => l.TrimStart().StartsWith("10 ", StringComparison.Ordinal) && l.Contains("100.0%", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("status", StringComparison.Ordinal) && l.Contains("200 ×10", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("tokens", StringComparison.Ordinal) && l.Contains("no answer carried a usage object", StringComparison.Ordinal));
        // Ten quick requests end before the first stats sample would; the sample in flight is finished, so there are figures.
        lines.ShouldContain(l => l.StartsWith("cpu, memory", StringComparison.Ordinal) && l.Contains("cpu avg", StringComparison.Ordinal));
        result.Err.ShouldNotContain("%", customMessage: "no progress bar when the output is not a terminal");
        lines.ShouldNotContain(l => l.StartsWith("gateway", StringComparison.Ordinal), "the agent made no LLM call, so nothing is said about them");
    }

    [Fact]
    public async Task Bench_AgentCallingTheGateway_ReportsItsLlmCallsTokensAndCost()
    {
        using var client = Client();
        await using var agent = await LlmCallingAgent.StartAsync(client, $"l{Guid.NewGuid():N}"[..12]);

        var json = await Harness().RunAsync("bench", agent.Name, "/cgi-bin/llm", "-n", "6", "-c", "2", "-o", "json");
        var table = await Harness().RunAsync("bench", agent.Name, "/cgi-bin/llm", "-n", "3", "-c", "1");

        json.ExitCode.ShouldBe(ExitCodes.Ok, json.ToString());
        var report = Report(json);
        report.Succeeded.ShouldBe(6, json.Out);
        var gateway = report.Gateway.ShouldNotBeNull("each request made the agent call the gateway once");
        gateway.Calls.ShouldBe(6, "the calls since this bench started, not those of other runs");
        // A call still in flight is counted without its tokens; the bench reads again until none is, but does not wait long.
        var settled = gateway.Calls - gateway.InFlight;
        (gateway.PromptTokens, gateway.CachedTokens, gateway.CompletionTokens, gateway.TotalTokens)
            .ShouldBe((21 * settled, 5 * settled, 8 * settled, LlmCallingAgent.TokensPerCall * settled));
        gateway.Cost.ShouldBe(LlmCallingAgent.CostPerCall * settled);
        table.ExitCode.ShouldBe(ExitCodes.Ok, table.ToString());
        table.Out.Split('\n').ShouldContain(l => l.StartsWith("gateway ", StringComparison.Ordinal) && l.Contains("3 LLM calls: prompt ", StringComparison.Ordinal), table.Out);
    }

    [Fact]
    public async Task Bench_Compare_PrintsBothRunsAndTheCandidateOverTheBaseline()
    {
        var json = await Harness().RunAsync("bench", _first, "/cgi-bin/chat", "--compare", _second, "-n", "10", "-c", "2", "-o", "json");
        var table = await Harness().RunAsync("bench", _first, "/cgi-bin/chat", "--compare", _second, "-n", "10", "-c", "2");

        json.ExitCode.ShouldBe(ExitCodes.Ok, json.ToString());
        var comparison = JsonSerializer.Deserialize(json.Out, BenchJson.Default.BenchComparison)!;
        (comparison.Baseline.Agent, comparison.Candidate.Agent).ShouldBe((_first, _second));
        (comparison.Baseline.Succeeded, comparison.Candidate.Succeeded).ShouldBe((10, 10));
        comparison.Ratio.P50.ShouldBe(Math.Round(comparison.Candidate.LatencyMs!.P50 / comparison.Baseline.LatencyMs!.P50, 3));
        comparison.Ratio.Throughput.ShouldBe(Math.Round(comparison.Candidate.Throughput / comparison.Baseline.Throughput, 3));
        comparison.Ratio.TokensPerRequest.ShouldBe(1.0, "both agents answer with the same usage");
        table.ExitCode.ShouldBe(ExitCodes.Ok, table.ToString());
        table.Out.ShouldContain($"agent/{_first}  GET /cgi-bin/chat");
        table.Out.ShouldContain($"agent/{_second}  GET /cgi-bin/chat");
        table.Out.ShouldContain($"RATIO ({_second} / {_first})");
        table.Out.Split('\n').ShouldContain(l => l.TrimStart().StartsWith("tokens/req", StringComparison.Ordinal) && l.Contains("1.00×", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_ColdStart_RestartsTheAgentAndTimesItsFirstRequestAgainstWarm()
    {
        using var client = Client();
        var before = await client.GetAgentAsync(_first, TestTimeouts.Token());

        var result = await Harness().RunAsync("bench", _first, "/health", "--cold-start", "-n", "10", "-c", "2", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var cold = Report(result).ColdStart.ShouldNotBeNull();
        cold.FirstRequestStatus.ShouldBe(200);
        cold.ReadyAfterMs.ShouldBeGreaterThan(0);
        cold.FirstRequestMs.ShouldBeGreaterThan(0);
        cold.WarmMs.ShouldNotBeNull().ShouldBeGreaterThan(0);
        cold.SlowerThanWarm.ShouldNotBeNull().ShouldBe(cold.FirstRequestMs / cold.WarmMs!.Value, 0.01);
        Report(result).Requests.ShouldBe(10, "the cold and warm probes are not counted in the load");
        var after = await client.GetAgentAsync(_first, TestTimeouts.Token());
        after.Generation.ShouldBeGreaterThan(before.Generation, "the cold start restarted the agent through the API");
        after.Instances.ShouldContain(i => i.Generation == after.Generation && i.State == InstanceState.Running);
    }

    [Fact]
    public async Task Bench_PathTheAgentDoesNotServe_CountsEveryFailureAndExitsFailure()
    {
        var result = await Harness().RunAsync("bench", _first, "/missing", "-n", "6", "-c", "3", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        var report = Report(result);
        (report.Requests, report.Succeeded, report.Failed, report.SuccessRate).ShouldBe((6, 0, 6, 0.0));
        report.StatusCodes.ShouldBe(new Dictionary<string, int> { ["404"] = 6 });
    }

    [Fact]
    public async Task Bench_Duration_SendsUntilTheTimeIsUp()
    {
        var result = await Harness().RunAsync("bench", _first, "/health", "--duration", "1s", "-c", "2", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var report = Report(result);
        (report.RequestsAsked, report.DurationAskedSeconds).ShouldBe(((int?)null, (double?)1.0));
        report.Requests.ShouldBeGreaterThan(0);
        report.Succeeded.ShouldBe(report.Requests, result.Out);
        report.ElapsedSeconds.ShouldBeGreaterThanOrEqualTo(1.0, "no request starts after the second is up, and none is cut short");
    }

    [Theory]
    [InlineData(new[] { "--requests", "5", "--duration", "10s" }, "pass --requests or --duration, not both")]
    [InlineData(new[] { "--requests", "0" }, "--requests must be between 1 and 1,000,000; got 0")]
    [InlineData(new[] { "--concurrency", "0" }, "--concurrency must be between 1 and 1000; got 0")]
    [InlineData(new[] { "--duration", "0s" }, "--duration must be more than 0s")]
    [InlineData(new[] { "--duration", "2h" }, "at most 10m")]
    [InlineData(new[] { "--duration", "soon" }, "'soon' is not a duration")]
    [InlineData(new[] { "--method", "GET X" }, "--method must be an HTTP method like GET or POST")]
    [InlineData(new[] { "-d", "@no-such-file.json" }, "no such file")]
    public async Task Bench_BadFlags_ExitUsageSayingWhatIsWrong(string[] flags, string message)
    {
        var result = await Harness().RunAsync(["bench", _first, .. flags]);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain(message);
    }

    [Fact]
    public async Task Bench_CompareWithItself_ExitsUsage()
    {
        var result = await Harness().RunAsync("bench", _first, "--compare", _first);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain($"--compare needs another agent than '{_first}'");
    }

    [Fact]
    public async Task Bench_UnknownAgent_ExitsNotFoundBeforeSendingAnything()
    {
        var result = await Harness().RunAsync("bench", "no-such-agent", "-n", "5");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain("No agent named 'no-such-agent'");
    }

    [Fact]
    public async Task Bench_WithAResourceSampler_ReportsAverageAndPeakCpuAndMemory()
    {
        var sampler = new SteadySampler(new ResourceSample(25, 40 << 20));
        var data = new StringWriter();
        var context = new CliContext
        {
            Console = CliHarness.CreateConsole(new StringWriter()),
            OutConsole = CliHarness.CreateConsole(data),
            Out = data,
            In = new StringReader(""),
            GetEnvironmentVariable = name => name switch { "BERTH_URL" => server.Url, "BERTH_TOKEN" => server.AdminToken, _ => null },
            CurrentDirectory = Path.GetTempPath(),
            IsInteractive = false,
        };
        var root = new RootCommand { GlobalOptions.Server, GlobalOptions.Token, BenchCommand.Create(context, _ => sampler) };

        var exitCode = await root.Parse(["bench", _first, "/health", "-n", "20", "-c", "2", "-o", "json"]).InvokeAsync(null, TestTimeouts.Token());

        exitCode.ShouldBe(ExitCodes.Ok, data.ToString());
        var resources = JsonSerializer.Deserialize(data.ToString(), BenchJson.Default.BenchReport)!.Resources.ShouldNotBeNull();
        resources.Samples.ShouldBeGreaterThanOrEqualTo(1, "one sample as the load starts, then one a second");
        (resources.CpuPercentAvg, resources.CpuPercentMax, resources.MemoryBytesMax).ShouldBe((25.0, 25.0, 40L << 20));
        sampler.Agents.ShouldAllBe(a => a == _first);
    }

    /// <summary>Answers the same sample every time and records which agent it was asked about.</summary>
    private sealed class SteadySampler(ResourceSample sample) : IAgentResourceSampler
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Agents { get; } = new();

        public Task<ResourceSample?> SampleAsync(string agent, CancellationToken cancellationToken)
        {
            Agents.Enqueue(agent);
            return Task.FromResult<ResourceSample?>(sample);
        }
    }
}
