using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth stop NAME...|--all</c>: stops every instance but keeps the agents defined.</summary>
internal static class StopCommand
{
    public static Command Create(CliContext context) =>
        LifecycleCommand.Create(context, "stop", "Stop agents (they stay defined)", "stopped", (client, name, ct) => client.StopAgentAsync(name, ct));
}
