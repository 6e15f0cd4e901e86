using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth subscriptions rm NAME [--yes]</c>: removes a subscription and every message it holds, after a confirmation.</summary>
internal static class SubscriptionsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The subscription to remove" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking for confirmation" };
        var command = new Command("rm", "Remove a subscription and the messages it holds") { name, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var subscription = session.ParseResult.GetRequiredValue(name);
            if (!await MessagingOptions.ConfirmAsync(
                session, session.ParseResult.GetValue(yes), "removing a subscription", $"Remove subscription {subscription} and every message it holds?", cancellationToken))
            {
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            var dropped = await client.DeleteSubscriptionAsync(subscription, cancellationToken);
            session.Out.WriteLine($"subscription/{subscription} removed ({(dropped == 1 ? "1 message" : $"{dropped} messages")} dropped)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
