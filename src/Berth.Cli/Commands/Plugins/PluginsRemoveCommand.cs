using System.CommandLine;
using Spectre.Console;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins rm ID[@VERSION] [--yes]</c>: removes one version, or every version of a plugin, after a confirmation.</summary>
internal static class PluginsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("plugin") { Description = "ID to remove every version, or ID@VERSION to remove one" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking for confirmation" };
        var command = new Command("rm", "Remove a plugin version, or every version of a plugin") { target, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var text = session.ParseResult.GetRequiredValue(target);
            var at = text.IndexOf('@', StringComparison.Ordinal);
            var (id, version) = at < 0 ? (text, (string?)null) : (text[..at], text[(at + 1)..]);
            if (id.Length == 0 || version is { Length: 0 })
            {
                throw new CliException($"'{text}' is not ID or ID@VERSION", ExitCodes.Usage);
            }

            var confirmed = session.ParseResult.GetValue(yes);
            if (!confirmed && !session.CanPrompt)
            {
                throw new CliException("removing a plugin needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
            }

            var question = version is null ? $"Remove every version of plugin {id}?" : $"Remove plugin {id}@{version}?";
            if (!confirmed && !await new ConfirmationPrompt(Markup.Escape(question)) { DefaultValue = false }.ShowAsync(session.Console, cancellationToken))
            {
                session.Console.WriteLine("nothing removed");
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            var removed = await client.RemovePluginAsync(id, version, cancellationToken);
            foreach (var gone in removed.Removed)
            {
                session.Out.WriteLine($"plugin/{removed.Id}@{gone} removed");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
