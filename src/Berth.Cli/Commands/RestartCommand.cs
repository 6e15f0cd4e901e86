using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth restart NAME...|--all</c>: replaces every instance with a fresh one.</summary>
internal static class RestartCommand
{
    public static Command Create(CliContext context) =>
        LifecycleCommand.Create(context, "restart", "Replace every instance of agents with fresh ones", "restarted", (client, name, ct) => client.RestartAgentAsync(name, ct));
}
