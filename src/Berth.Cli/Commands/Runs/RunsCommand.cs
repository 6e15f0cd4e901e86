using System.CommandLine;

namespace Berth.Cli.Commands.Runs;

/// <summary><c>berth runs ls|get|logs|cancel|explain</c>: workflow runs, their steps, logs and cache decisions.</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext context) =>
        new("runs", "Inspect, follow and cancel workflow runs")
        {
            RunsListCommand.Create(context),
            RunsGetCommand.Create(context),
            RunsLogsCommand.Create(context),
            RunsCancelCommand.Create(context),
            RunsExplainCommand.Create(context),
        };
}
