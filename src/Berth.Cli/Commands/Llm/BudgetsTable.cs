using System.Globalization;
using Berth.Core.Llm;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// The table <c>berth budgets ls</c> prints: one row per budget, ordered by agent then period, each limit as what its window used
/// over the limit (<c>-</c> for a limit the budget does not set).
/// </summary>
internal static class BudgetsTable
{
    public static Table Build(IEnumerable<BudgetStatus> budgets)
    {
        var table = new Table().NoBorder().AddColumns("AGENT", "PERIOD", "TOKENS", "COST", "RESETS");
        foreach (var status in budgets.OrderBy(b => b.Budget.Agent, StringComparer.Ordinal).ThenBy(b => b.Budget.Period))
        {
            table.AddRow(
                new Text(status.Budget.Agent),
                new Text(Output.Formats.Name(status.Budget.Period)),
                new Text(Tokens(status)),
                new Text(Cost(status)),
                new Text(Time(status.ResetsAt)));
        }

        return table;
    }

    /// <summary>Tokens used over the limit, <c>120/2000000</c>; <c>-</c> without a token limit.</summary>
    internal static string Tokens(BudgetStatus status) =>
        status.Budget.MaxTokens is { } max
            ? $"{status.UsedTokens.ToString(CultureInfo.InvariantCulture)}/{max.ToString(CultureInfo.InvariantCulture)}"
            : "-";

    /// <summary>Cost used over the limit, <c>0.000126/50</c> (as <c>berth usage</c> writes costs); <c>-</c> without a cost limit.</summary>
    internal static string Cost(BudgetStatus status) =>
        status.Budget.MaxCost is { } max ? $"{UsageTable.Cost(status.UsedCost)}/{UsageTable.Cost(max)}" : "-";

    /// <summary>A UTC time in ISO 8601 to the second: <c>2026-01-02T00:00:00Z</c>.</summary>
    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
