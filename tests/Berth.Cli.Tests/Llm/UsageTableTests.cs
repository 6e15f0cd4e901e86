using Berth.Cli.Commands.Llm;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Llm;

namespace Berth.Cli.Tests.Llm;

/// <summary>The table <c>berth usage</c> prints, from reports the API could answer.</summary>
public sealed class UsageTableTests
{
    private static string[][] Render(UsageReport report)
    {
        var text = new StringWriter();
        CliHarness.CreateConsole(text).Write(UsageTable.Build(report));
        return [.. text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
    }

    [Fact]
    public void Build_ByRun_NamesTheKeyColumnRunAndShowsCallsOutsideARunAsDash()
    {
        var report = new UsageReport
        {
            Since = DateTimeOffset.UnixEpoch,
            By = UsageGrouping.Run,
            Groups =
            [
                new UsageGroup { Key = null, Calls = 2, PromptTokens = 100, CachedTokens = 40, CompletionTokens = 10, Cost = 0.5m },
                new UsageGroup { Key = "0195f3c2a1b47d6e", Calls = 1, PromptTokens = 7, CompletionTokens = 3, Cost = 0.0000016m },
            ],
            Total = new UsageGroup { Calls = 3, PromptTokens = 107, CachedTokens = 40, CompletionTokens = 13, Cost = 0.5000016m },
        };

        var rows = Render(report);

        rows.ShouldBe(
        [
            ["RUN", "CALLS", "PROMPT", "CACHED", "COMPLETION", "TOTAL", "COST"],
            ["-", "2", "100", "40", "10", "110", "0.5"],
            ["0195f3c2a1b47d6e", "1", "7", "0", "3", "10", "0.000002"],
            ["TOTAL", "3", "107", "40", "13", "120", "0.500002"],
        ]);
    }

    [Theory]
    [InlineData(UsageGrouping.Agent, "AGENT")]
    [InlineData(UsageGrouping.Model, "MODEL")]
    [InlineData(UsageGrouping.Day, "DAY")]
    [InlineData(UsageGrouping.Endpoint, "ENDPOINT")]
    [InlineData(UsageGrouping.Workflow, "WORKFLOW")]
    public void Build_NoCalls_HeaderNamedAfterTheGroupingAndATotalOfZeros(UsageGrouping grouping, string header)
    {
        var rows = Render(new UsageReport { Since = DateTimeOffset.UnixEpoch, By = grouping, Total = new UsageGroup() });

        rows.ShouldBe([[header, "CALLS", "PROMPT", "CACHED", "COMPLETION", "TOTAL", "COST"], ["TOTAL", "0", "0", "0", "0", "0", "0"]]);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("12.5", "12.5")]
    [InlineData("0.0000004", "0")]
    [InlineData("1234.1234567", "1234.123457")]
    public void Cost_UpToSixDecimalsInvariant(string cost, string shown) =>
        UsageTable.Cost(decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(shown);
}
