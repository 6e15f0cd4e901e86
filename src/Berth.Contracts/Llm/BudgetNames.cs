namespace Berth.Core.Llm;

/// <summary>Budget scopes and periods as the API, the CLI, the store and problems spell them.</summary>
public static class BudgetNames
{
    /// <summary><c>agent</c> or <c>workflow</c>.</summary>
    public static string WireName(this BudgetScope scope) => scope == BudgetScope.Workflow ? "workflow" : "agent";

    /// <summary><c>day</c>, <c>month</c> or <c>run</c>.</summary>
    public static string WireName(this BudgetPeriod period) => period switch { BudgetPeriod.Month => "month", BudgetPeriod.Run => "run", _ => "day" };

    /// <summary>Reads a period as <see cref="WireName(BudgetPeriod)"/> writes it; false for anything else.</summary>
    public static bool TryParsePeriod(string? text, out BudgetPeriod period)
    {
        period = text switch { "day" => BudgetPeriod.Day, "month" => BudgetPeriod.Month, "run" => BudgetPeriod.Run, _ => (BudgetPeriod)(-1) };
        return Enum.IsDefined(period);
    }

    /// <summary>Whether a budget of <paramref name="scope"/> may limit <paramref name="period"/>: a run only for a workflow.</summary>
    public static bool Allows(this BudgetScope scope, BudgetPeriod period) => period != BudgetPeriod.Run || scope == BudgetScope.Workflow;
}
