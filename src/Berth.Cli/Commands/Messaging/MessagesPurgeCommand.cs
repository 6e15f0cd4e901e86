using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth messages purge SUBSCRIPTION [--state ready|leased|dead] [--yes]</c>: drops what a subscription holds (in one state, or all), after a confirmation.</summary>
internal static class MessagesPurgeCommand
{
    public static Command Create(CliContext context)
    {
        var subscription = new Argument<string>("subscription") { Description = "The subscription to purge" };
        var state = MessagingOptions.CreateState("Only messages in this state: ready, leased or dead (default: every message)");
        var yes = new Option<bool>("--yes", "-y") { Description = "Purge without asking for confirmation" };
        var command = new Command("purge", "Drop the messages a subscription holds") { subscription, state, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(subscription);
            var wanted = MessagingOptions.State(session, state);
            var kind = wanted is { } only ? Formats.Name(only) + " " : "";
            var what = $"{kind}messages";
            if (!await MessagingOptions.ConfirmAsync(
                session, session.ParseResult.GetValue(yes), "purging messages", $"Drop every one of the {what} subscription {name} holds?", cancellationToken))
            {
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            var purged = await client.PurgeMessagesAsync(name, wanted, cancellationToken);
            session.Out.WriteLine($"{purged} {kind}{(purged == 1 ? "message" : "messages")} purged from subscription/{name}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
