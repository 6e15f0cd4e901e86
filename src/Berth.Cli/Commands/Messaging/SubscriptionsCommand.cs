using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth subscriptions ls|rm</c>: durable subscriptions, which <c>berth apply -f</c> creates from <c>kind: Subscription</c> documents.</summary>
internal static class SubscriptionsCommand
{
    public static Command Create(CliContext context) =>
        new("subscriptions", "List and remove subscriptions (create them with berth apply -f)")
        {
            SubscriptionsListCommand.Create(context),
            SubscriptionsRemoveCommand.Create(context),
        };
}
