using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth messages ls|show|requeue|purge</c>: the messages subscriptions hold, dead letters among them.</summary>
internal static class MessagesCommand
{
    public static Command Create(CliContext context) =>
        new("messages", "Inspect held messages, requeue dead letters and purge subscriptions")
        {
            MessagesListCommand.Create(context),
            MessagesShowCommand.Create(context),
            MessagesRequeueCommand.Create(context),
            MessagesPurgeCommand.Create(context),
        };
}
