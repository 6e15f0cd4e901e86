using System.CommandLine;

namespace Berth.Cli.Commands.Llm;

/// <summary><c>berth budgets set|ls|rm</c>: limits on what one agent's LLM calls through the gateway may use per UTC day or month.</summary>
internal static class BudgetsCommand
{
    public static Command Create(CliContext context) =>
        new("budgets", "Set, list and remove agents' LLM budgets (tokens, cost or both per UTC day or month)")
        {
            BudgetsSetCommand.Create(context),
            BudgetsListCommand.Create(context),
            BudgetsRemoveCommand.Create(context),
        };
}
