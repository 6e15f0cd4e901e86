using System.Globalization;
using Berth.Core.Llm;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// The table <c>berth budgets ls</c> prints: one row per budget, ordered by scope (agents first), name, then period, each limit as
/// what its window used over the limit (<c>-</c> for a limit the budget does not set). A per-run budget never resets (<c>each
/// run</c>) and shows what the workflow's latest run that made calls used; a RUN column names that run when any budget listed is
/// per run, so a listing of agents' budgets alone stays as narrow as it was.
/// </summary>
internal static class BudgetsTable
{
    /// <summary>What RESETS says of a per-run budget, which each run starts whole.</summary>
    public const string EachRun = "each run";

    public static Table Build(IEnumerable<BudgetStatus> budgets)
    {
        var rows = budgets.OrderBy(b => b.Budget.Scope).ThenBy(b => b.Budget.Name, StringComparer.Ordinal).ThenBy(b => b.Budget.Period).ToList();
        var perRun = rows.Exists(b => b.Budget.Period == BudgetPeriod.Run);
        var table = new Table().NoBorder().AddColumns("BUDGET", "PERIOD", "TOKENS", "COST", "RESETS");
        if (perRun)
        {
            table.AddColumn("RUN");
        }

        foreach (var status in rows)
        {
            var cells = new List<IRenderable>
            {
                new Text(status.Budget.Subject), new Text(status.Budget.Period.WireName()), new Text(Tokens(status)), new Text(Cost(status)), new Text(Resets(status)),
            };
            if (perRun)
            {
                cells.Add(new Text(status.RunId ?? "-"));
            }

            table.AddRow(cells);
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

    /// <summary>When the window ends, <c>2026-01-02T00:00:00Z</c>; <see cref="EachRun"/> for a per-run budget.</summary>
    internal static string Resets(BudgetStatus status) => status.ResetsAt is { } time ? Time(time) : EachRun;

    /// <summary>A UTC time in ISO 8601 to the second: <c>2026-01-02T00:00:00Z</c>.</summary>
    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
