using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth topics rm NAME [--yes]</c>: removes a topic with its subscriptions and every message they hold, after a confirmation.</summary>
internal static class TopicsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The topic to remove" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking for confirmation" };
        var command = new Command("rm", "Remove a topic, its subscriptions and the messages they hold") { name, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var topic = session.ParseResult.GetRequiredValue(name);
            if (!await MessagingOptions.ConfirmAsync(
                session, session.ParseResult.GetValue(yes), "removing a topic", $"Remove topic {topic}, its subscriptions and every message they hold?", cancellationToken))
            {
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            var subscriptions = await client.DeleteTopicAsync(topic, cancellationToken);
            session.Out.WriteLine($"topic/{topic} removed ({(subscriptions == 1 ? "1 subscription" : $"{subscriptions} subscriptions")} with it)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
