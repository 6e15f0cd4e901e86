using System.CommandLine;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth secrets rm NAME [--yes]</c>: deletes a secret after a confirmation and names the agents that still use it.</summary>
internal static class SecretsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The secret's name" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking for confirmation" };
        var command = new Command("rm", "Delete a secret; agents that reference it fail their next start") { name, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var secretName = session.ParseResult.GetRequiredValue(name);
            var confirmed = session.ParseResult.GetValue(yes);
            if (!confirmed && !session.CanPrompt)
            {
                throw new CliException("deleting a secret needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
            }

            if (!confirmed && !await new ConfirmationPrompt(Markup.Escape($"Delete secret {secretName}?")) { DefaultValue = false }.ShowAsync(session.Console, cancellationToken))
            {
                session.Console.WriteLine("nothing deleted");
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            var removed = await client.RemoveSecretAsync(secretName, cancellationToken);
            session.Out.WriteLine($"secret/{removed.Name} deleted");
            if (removed.UsedBy.Count > 0)
            {
                session.Console.MarkupLineInterpolated(
                    $"[yellow]warning:[/] still referenced by {string.Join(", ", removed.UsedBy)}; their next start fails until you run 'berth secrets set {secretName}'");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
