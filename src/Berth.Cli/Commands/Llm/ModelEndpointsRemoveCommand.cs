using System.CommandLine;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary><c>berth model-endpoints rm NAME [--yes]</c>: removes a model endpoint after a confirmation; its recorded usage stays.</summary>
internal static class ModelEndpointsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The model endpoint to remove" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking for confirmation" };
        var command = new Command("rm", "Remove a model endpoint; calls to it are refused from then on, its recorded usage stays") { name, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var endpoint = session.ParseResult.GetRequiredValue(name);
            var confirmed = session.ParseResult.GetValue(yes);
            if (!confirmed && !session.CanPrompt)
            {
                throw new CliException("removing a model endpoint needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
            }

            if (!confirmed && !await new ConfirmationPrompt(Markup.Escape($"Remove model endpoint {endpoint}? Calls to it are refused from then on.")) { DefaultValue = false }
                    .ShowAsync(session.Console, cancellationToken))
            {
                session.Console.WriteLine("nothing removed");
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            await client.DeleteModelEndpointAsync(endpoint, cancellationToken);
            session.Out.WriteLine($"modelendpoint/{endpoint} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
