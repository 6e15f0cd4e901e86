using System.Globalization;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>The table <c>berth usage</c> prints: one row per group, the key column named after the grouping, then a TOTAL row.</summary>
internal static class UsageTable
{
    public static Table Build(UsageReport report)
    {
        var table = new Table().NoBorder().AddColumns(KeyHeader(report.By), "CALLS", "PROMPT", "CACHED", "COMPLETION", "TOTAL", "COST");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var group in report.Groups)
        {
            // A group without a key holds the calls that have none, such as those made outside a run (by run or by workflow).
            table.AddRow(Row(group.Key ?? "-", group));
        }

        table.AddRow(Row("TOTAL", report.Total));
        return table;
    }

    /// <summary>A cost with up to 6 decimals and no trailing zeros: <c>0</c>, <c>0.15</c>, <c>1.234567</c>.</summary>
    internal static string Cost(decimal cost) => cost.ToString("0.######", CultureInfo.InvariantCulture);

    private static string KeyHeader(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Model => "MODEL",
        UsageGrouping.Run => "RUN",
        UsageGrouping.Workflow => "WORKFLOW",
        UsageGrouping.Day => "DAY",
        UsageGrouping.Endpoint => "ENDPOINT",
        _ => "AGENT",
    };

    private static Text[] Row(string key, UsageGroup group) =>
    [
        new(key),
        new(Count(group.Calls)),
        new(Count(group.PromptTokens)),
        new(Count(group.CachedTokens)),
        new(Count(group.CompletionTokens)),
        new(Count(group.TotalTokens)),
        new(Cost(group.Cost)),
    ];

    private static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);
}
