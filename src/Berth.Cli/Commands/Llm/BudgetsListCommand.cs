using System.CommandLine;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary><c>berth budgets ls [AGENT] [-o table|json|yaml]</c>: every budget (or one agent's) with what its current window used and when it resets.</summary>
internal static class BudgetsListCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string?>("agent") { Description = "Only this agent's budgets (default: every agent's)", Arity = ArgumentArity.ZeroOrOne };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List LLM budgets with what their current window used and when it resets") { agent, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var budgets = await client.ListBudgetsAsync(session.ParseResult.GetValue(agent), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, budgets, format);
                return ExitCodes.Ok;
            }

            if (budgets.Count == 0)
            {
                session.Console.WriteLine("no budgets; set one with 'berth budgets set AGENT --period day|month --tokens N' (or --cost X)");
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(BudgetsTable.Build(budgets));
            return ExitCodes.Ok;
        });
        return command;
    }
}
