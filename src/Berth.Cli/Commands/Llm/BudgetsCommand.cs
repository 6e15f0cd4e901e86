using System.CommandLine;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth budgets set|ls|rm</c>: limits on what LLM calls through the gateway may use, of one agent per UTC day or month, or of
/// one workflow's runs, each run or per UTC day or month.
/// </summary>
internal static class BudgetsCommand
{
    public static Command Create(CliContext context) =>
        new("budgets", "Set, list and remove LLM budgets of agents (per UTC day or month) and workflows (per run, day or month)")
        {
            BudgetsSetCommand.Create(context),
            BudgetsListCommand.Create(context),
            BudgetsRemoveCommand.Create(context),
        };
}
