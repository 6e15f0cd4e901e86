using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth start NAME...|--all</c>: runs stopped agents again.</summary>
internal static class StartCommand
{
    public static Command Create(CliContext context) =>
        LifecycleCommand.Create(context, "start", "Start stopped agents", "started", (client, name, ct) => client.StartAgentAsync(name, ct));
}
