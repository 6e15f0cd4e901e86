using System.CommandLine;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth budgets ls [NAME] [-o table|json|yaml]</c>: every budget (or one agent's or workflow's) with what its current window
/// used and when it resets.
/// </summary>
internal static class BudgetsListCommand
{
    public static Command Create(CliContext context)
    {
        var subject = new Argument<string?>("name")
        {
            Description = "Only the budgets of AGENT, agent/AGENT or workflow/WORKFLOW (default: every one)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List LLM budgets with what their current window used and when it resets") { subject, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var only = session.ParseResult.GetValue(subject) is { } text ? BudgetSubject.Parse(text) : null;
            using var client = session.CreateClient();
            var budgets = await client.ListBudgetsAsync(only?.Scope, only?.Name, cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, budgets, format);
                return ExitCodes.Ok;
            }

            if (budgets.Count == 0)
            {
                session.Console.WriteLine(only is null
                    ? "no budgets; set one with 'berth budgets set AGENT --period day|month --tokens N' or 'berth budgets set workflow/WORKFLOW --period run|day|month --tokens N' (or --cost X)"
                    : $"{only} has no budgets; set one with 'berth budgets set {only} --period {only.Periods} --tokens N' (or --cost X)");
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(BudgetsTable.Build(budgets));
            return ExitCodes.Ok;
        });
        return command;
    }
}
