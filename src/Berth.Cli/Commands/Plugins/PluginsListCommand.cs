using System.CommandLine;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins ls [-o table|json|yaml]</c>: every installed plugin with its versions.</summary>
internal static class PluginsListCommand
{
    public static Command Create(CliContext context)
    {
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List installed plugins") { output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var plugins = await client.ListPluginsAsync(cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, plugins, format);
                return ExitCodes.Ok;
            }

            if (plugins.Count == 0)
            {
                session.Console.WriteLine("no plugins; install one with 'berth plugins install DIR'");
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("ID", "VERSIONS", "CAPABILITIES", "TAGS", "DESCRIPTION");
            foreach (var plugin in plugins)
            {
                table.AddRow(
                    new Text(plugin.Id),
                    new Text(string.Join(", ", plugin.Versions)),
                    new Text(plugin.Capabilities.Count == 0 ? "-" : string.Join(", ", plugin.Capabilities)),
                    new Text(plugin.Tags.Count == 0 ? "-" : string.Join(", ", plugin.Tags)),
                    new Text(plugin.Description ?? "-"));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
