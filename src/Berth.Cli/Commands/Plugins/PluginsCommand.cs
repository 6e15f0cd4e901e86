using System.CommandLine;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins install|check|ls|describe|invoke|invocations|rm</c>: the plugin registry.</summary>
internal static class PluginsCommand
{
    public static Command Create(CliContext context) =>
        new("plugins", "Install, check, list, describe, invoke and remove plugins")
        {
            PluginsInstallCommand.Create(context),
            PluginsCheckCommand.Create(context),
            PluginsListCommand.Create(context),
            PluginsDescribeCommand.Create(context),
            PluginsInvokeCommand.Create(context),
            PluginsInvocationsCommand.Create(context),
            PluginsRemoveCommand.Create(context),
        };
}
