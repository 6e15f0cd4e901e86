using System.CommandLine;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth rm NAME...|--all [--yes]</c>: removes agents after a confirmation, waiting for their instances to go.</summary>
internal static class RemoveCommand
{
    public static Command Create(CliContext context)
    {
        var selection = new AgentSelection();
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking for confirmation" };
        var timeout = GlobalOptions.CreateDuration("--timeout", TimeSpan.FromSeconds(30), "How long to wait for removal before it continues in the background");
        var command = new Command("rm", "Remove agents and everything they own") { yes, timeout };
        selection.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            selection.Check(session);
            var confirmed = session.ParseResult.GetValue(yes);
            if (!confirmed && !session.CanPrompt)
            {
                throw new CliException("removing agents needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            var names = await selection.ResolveAsync(session, client, cancellationToken);
            if (names.Count == 0)
            {
                session.Console.WriteLine("no agents to remove");
                return ExitCodes.Ok;
            }

            if (!confirmed)
            {
                var question = names.Count == 1 ? $"Remove agent {names[0]}?" : $"Remove {names.Count} agents ({string.Join(", ", names)})?";
                if (!await new ConfirmationPrompt(Markup.Escape(question)) { DefaultValue = false }.ShowAsync(session.Console, cancellationToken))
                {
                    session.Console.WriteLine("nothing removed");
                    return ExitCodes.Failure;
                }
            }

            var wait = session.ParseResult.GetValue(timeout);
            foreach (var name in names)
            {
                var response = await client.RemoveAgentAsync(name, wait, cancellationToken);
                session.Out.WriteLine(response.Completed ? $"agent/{name} removed" : $"agent/{name} removing (continues in the background)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
