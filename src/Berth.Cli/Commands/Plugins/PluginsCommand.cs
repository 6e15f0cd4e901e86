using System.CommandLine;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins install|check|ls|describe|rm</c>: the plugin registry.</summary>
internal static class PluginsCommand
{
    public static Command Create(CliContext context) =>
        new("plugins", "Install, check, list, describe and remove plugins")
        {
            PluginsInstallCommand.Create(context),
            PluginsCheckCommand.Create(context),
            PluginsListCommand.Create(context),
            PluginsDescribeCommand.Create(context),
            PluginsRemoveCommand.Create(context),
        };
}
