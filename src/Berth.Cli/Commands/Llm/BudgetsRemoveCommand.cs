using System.CommandLine;

namespace Berth.Cli.Commands.Llm;

/// <summary><c>berth budgets rm AGENT --period day|month</c>: removes the agent's budget for the period; its calls are no longer limited by it.</summary>
internal static class BudgetsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose budget to remove" };
        var period = BudgetPeriodOption.Create("Which of its budgets: the UTC day's or the month's");
        var command = new Command("rm", "Remove an agent's LLM budget for a UTC day or month") { agent, period };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(agent);
            var window = session.ParseResult.GetRequiredValue(period);
            using var client = session.CreateClient();
            await client.DeleteBudgetAsync(name, BudgetPeriodOption.Parse(window), cancellationToken);
            session.Out.WriteLine($"budget/{name}/{window} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
