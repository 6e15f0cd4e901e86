using Berth.Cli.Commands.Bench;
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
}
