using Berth.Cli.Commands.Llm;
using Berth.Cli.Tests.Infrastructure;
using Berth.Core.Llm;

namespace Berth.Cli.Tests.Llm;

/// <summary>The table <c>berth budgets ls</c> prints, from listings the API could answer.</summary>
public sealed class BudgetsTableTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);

    private static string[][] Render(params BudgetStatus[] budgets)
    {
        var text = new StringWriter();
        CliHarness.CreateConsole(text).Write(BudgetsTable.Build(budgets));
        return [.. text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
    }

    private static BudgetStatus Status(BudgetScope scope, string name, BudgetPeriod period, string? run = null, long used = 0) => new()
    {
        Budget = new LlmBudget { Scope = scope, Name = name, Period = period, MaxTokens = 1000 },
        RunId = run,
        UsedTokens = used,
        ResetsAt = period == BudgetPeriod.Run ? null : Midnight,
    };

    [Fact]
    public void Build_AgentsAndWorkflows_AgentsFirstThenByNameThenPeriodWithTheLatestRunOfAPerRunBudget()
    {
        var rows = Render(
            Status(BudgetScope.Workflow, "nightly", BudgetPeriod.Run, run: "0195f3c2a1b47d6e", used: 29),
            Status(BudgetScope.Workflow, "nightly", BudgetPeriod.Day),
            Status(BudgetScope.Agent, "writer", BudgetPeriod.Day),
            Status(BudgetScope.Workflow, "audit", BudgetPeriod.Run),
            Status(BudgetScope.Agent, "reviewer", BudgetPeriod.Month),
            Status(BudgetScope.Agent, "reviewer", BudgetPeriod.Day));

        rows.ShouldBe(
        [
            ["BUDGET", "PERIOD", "TOKENS", "COST", "RESETS", "RUN"],
            ["agent/reviewer", "day", "0/1000", "-", "2026-01-02T00:00:00Z", "-"],
            ["agent/reviewer", "month", "0/1000", "-", "2026-01-02T00:00:00Z", "-"],
            ["agent/writer", "day", "0/1000", "-", "2026-01-02T00:00:00Z", "-"],
            ["workflow/audit", "run", "0/1000", "-", "each", "run", "-"],
            ["workflow/nightly", "day", "0/1000", "-", "2026-01-02T00:00:00Z", "-"],
            ["workflow/nightly", "run", "29/1000", "-", "each", "run", "0195f3c2a1b47d6e"],
        ]);
    }

    [Fact]
    public void Build_NoPerRunBudget_HasNoRunColumn()
    {
        var rows = Render(Status(BudgetScope.Workflow, "nightly", BudgetPeriod.Month), Status(BudgetScope.Agent, "reviewer", BudgetPeriod.Day));

        rows[0].ShouldBe(["BUDGET", "PERIOD", "TOKENS", "COST", "RESETS"]);
        rows.Skip(1).Select(row => row[0]).ShouldBe(["agent/reviewer", "workflow/nightly"]);
    }
}
