using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth requests ls|show|replay|rm|purge</c>: the requests the durable proxy stored for agents.</summary>
internal static class RequestsCommand
{
    public static Command Create(CliContext context) =>
        new("requests", "Inspect, replay and delete the requests Berth stored for agents")
        {
            RequestsListCommand.Create(context),
            RequestsShowCommand.Create(context),
            RequestsReplayCommand.Create(context),
            RequestsRemoveCommand.Create(context),
            RequestsPurgeCommand.Create(context),
        };
}
