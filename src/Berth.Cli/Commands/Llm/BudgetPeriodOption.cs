using System.CommandLine;
using Berth.Core.Llm;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// The <c>--period day|month|run</c> of <c>berth budgets set</c> and <c>rm</c>, written as the API names the period (and as the
/// server's budget-exceeded problem tells an operator to type it). Whether the budget's scope takes it is
/// <see cref="BudgetSubject.Check"/>'s to say.
/// </summary>
internal static class BudgetPeriodOption
{
    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--period") { Description = description, HelpName = "day|month|run", Required = true };
        option.AcceptOnlyFromAmong(BudgetPeriod.Day.WireName(), BudgetPeriod.Month.WireName(), BudgetPeriod.Run.WireName());
        return option;
    }

    /// <summary>The period of a value the option accepted.</summary>
    public static BudgetPeriod Parse(string value) =>
        BudgetNames.TryParsePeriod(value, out var period) ? period : throw new ArgumentOutOfRangeException(nameof(value), value, "not a value the option accepts");
}
