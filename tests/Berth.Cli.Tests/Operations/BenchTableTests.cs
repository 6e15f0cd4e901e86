using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Commands.Bench;
using Berth.Core.Llm;
using Spectre.Console.Testing;

namespace Berth.Cli.Tests.Operations;

/// <summary>The bench table's extra lines, from reports built by hand (the end-to-end runs are in <see cref="BenchCommandTests"/>).</summary>
public sealed class BenchTableTests
{
    private static BenchReport Report(IReadOnlyDictionary<string, int> statuses) => new()
    {
        Agent = "chat",
        Method = "GET",
        Path = "/",
        Concurrency = 4,
        RequestsAsked = 300,
        Requests = 300,
        Succeeded = statuses.GetValueOrDefault("200"),
        Failed = 300 - statuses.GetValueOrDefault("200"),
        SuccessRate = statuses.GetValueOrDefault("200") / 300.0,
        ElapsedSeconds = 1,
        Throughput = 300,
        StatusCodes = statuses,
        Errors = new Dictionary<string, int>(),
    };

    private static string Render(BenchReport report)
    {
        var console = new TestConsole().Width(240);
        BenchTable.Write(console, report);
        return console.Output;
    }

    [Fact]
    public void Write_TooManyRequests_SaysWhichBudgetAndWhereToRaiseIt()
    {
        var output = Render(Report(new Dictionary<string, int> { ["200"] = 200, ["429"] = 100 }));

        output.ShouldContain("200 ×200, 429 ×100");
        output.Split('\n').ShouldContain(l => l.StartsWith("429", StringComparison.Ordinal) && l.Contains("Berth:RateLimit:RequestsPerSecond", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_NoTooManyRequests_HasNoRateLimitLine()
    {
        var output = Render(Report(new Dictionary<string, int> { ["200"] = 300 }));

        output.ShouldNotContain("RateLimit");
    }

    [Fact]
    public void Write_AgentMadeGatewayCalls_AddsAGatewayLineWithItsTokensAndCost()
    {
        var report = Report(new Dictionary<string, int> { ["200"] = 300 }) with
        {
            Gateway = GatewayUsage.Of(new UsageGroup { Calls = 1200, PromptTokens = 25200, CachedTokens = 6000, CompletionTokens = 9600, Cost = 0.1512m }),
        };

        var output = Render(report);

        output.Split('\n').ShouldContain(
            l => l.StartsWith("gateway ", StringComparison.Ordinal)
                && l.EndsWith("1,200 LLM calls: prompt 25,200 (cached 6,000), completion 9,600 tokens; cost 0.1512", StringComparison.Ordinal),
            output);
    }

    [Fact]
    public void Gateway_CallsInFlightAndFromTheCache_SaysTheirTokensAreNotCountedYet()
    {
        var usage = GatewayUsage.Of(new UsageGroup { Calls = 3, InFlight = 1, CacheHits = 1, PromptTokens = 21, CachedTokens = 5, CompletionTokens = 8, Cost = 0.000126m })!;

        BenchTable.Gateway(usage).ShouldBe(
            "3 LLM calls: prompt 21 (cached 5), completion 8 tokens; cost 0.000126; 1 answered from Berth's cache; 1 still in flight, their tokens and cost not counted yet");
    }

    [Fact]
    public void Write_AgentMadeNoGatewayCalls_HasNoGatewayLine()
    {
        var report = Report(new Dictionary<string, int> { ["200"] = 300 }) with { Gateway = GatewayUsage.Of(new UsageGroup()) };

        report.Gateway.ShouldBeNull("a usage total without calls is no gateway usage");
        Render(report).ShouldNotContain("gateway");
    }

    [Fact]
    public void Json_GatewayUsage_IsAnObjectOfItsFiguresOrNull()
    {
        var without = Report(new Dictionary<string, int> { ["200"] = 300 });
        var with = without with
        {
            Gateway = GatewayUsage.Of(new UsageGroup { Calls = 2, PromptTokens = 42, CachedTokens = 10, CompletionTokens = 16, Cost = 0.000252m }),
        };

        var gateway = JsonNode.Parse(JsonSerializer.Serialize(with, BenchJson.Default.BenchReport))!["gateway"]!;

        gateway.ToJsonString().ShouldBe(
            """{"calls":2,"inFlight":0,"cacheHits":0,"promptTokens":42,"cachedTokens":10,"completionTokens":16,"totalTokens":58,"cost":0.000252}""");
        JsonSerializer.Serialize(without, BenchJson.Default.BenchReport).ShouldContain("\"gateway\": null", customMessage: "every field is written, null when not measured");
    }
}
