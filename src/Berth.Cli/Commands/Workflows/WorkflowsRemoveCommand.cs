using System.CommandLine;
using Spectre.Console;

namespace Berth.Cli.Commands.Workflows;

/// <summary><c>berth workflows rm NAME... [--yes]</c>: deletes workflows after a confirmation.</summary>
internal static class WorkflowsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "Workflow names", Arity = ArgumentArity.OneOrMore };
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking for confirmation" };
        var command = new Command("rm", "Remove workflows") { names, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var selected = session.ParseResult.GetRequiredValue(names);
            var confirmed = session.ParseResult.GetValue(yes);
            if (!confirmed && !session.CanPrompt)
            {
                throw new CliException("removing workflows needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
            }

            if (!confirmed)
            {
                var question = selected.Length == 1 ? $"Remove workflow {selected[0]}?" : $"Remove {selected.Length} workflows ({string.Join(", ", selected)})?";
                if (!await new ConfirmationPrompt(Markup.Escape(question)) { DefaultValue = false }.ShowAsync(session.Console, cancellationToken))
                {
                    session.Console.WriteLine("nothing removed");
                    return ExitCodes.Failure;
                }
            }

            using var client = session.CreateClient();
            foreach (var name in selected)
            {
                await client.DeleteWorkflowAsync(name, cancellationToken);
                session.Out.WriteLine($"workflow/{name} removed");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
