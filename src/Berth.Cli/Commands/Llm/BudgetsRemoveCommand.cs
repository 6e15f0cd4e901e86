using System.CommandLine;
using Berth.Core.Llm;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth budgets rm NAME --period day|month|run</c>: removes the agent's or workflow's budget for the period; calls are no
/// longer limited by it.
/// </summary>
internal static class BudgetsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var subject = new Argument<string>("name") { Description = "Whose budget to remove: AGENT, agent/AGENT or workflow/WORKFLOW" };
        var period = BudgetPeriodOption.Create("Which of its budgets: the UTC day's, the month's, or a workflow's per run");
        var command = new Command("rm", "Remove an agent's or a workflow's LLM budget for a period") { subject, period };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var budget = BudgetSubject.Parse(session.ParseResult.GetRequiredValue(subject));
            var window = budget.Check(BudgetPeriodOption.Parse(session.ParseResult.GetRequiredValue(period)), "rm");
            using var client = session.CreateClient();
            await client.DeleteBudgetAsync(budget.Scope, budget.Name, window, cancellationToken);
            session.Out.WriteLine($"budget/{budget}/{window.WireName()} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
