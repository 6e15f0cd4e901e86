using System.CommandLine;
using Berth.Cli.Output;
using Berth.Core.Llm;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// The <c>--period day|month</c> of <c>berth budgets set</c> and <c>rm</c>, written as the API names the period (and as the server's
/// budget-exceeded problem tells an operator to type it).
/// </summary>
internal static class BudgetPeriodOption
{
    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--period") { Description = description, HelpName = "day|month", Required = true };
        option.AcceptOnlyFromAmong(Formats.Name(BudgetPeriod.Day), Formats.Name(BudgetPeriod.Month));
        return option;
    }

    /// <summary>The period of a value the option accepted.</summary>
    public static BudgetPeriod Parse(string value) => value == Formats.Name(BudgetPeriod.Month) ? BudgetPeriod.Month : BudgetPeriod.Day;
}
