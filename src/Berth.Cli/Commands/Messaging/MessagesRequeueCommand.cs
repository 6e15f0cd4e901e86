using System.CommandLine;
using Berth.Core.Messaging;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth messages requeue SUBSCRIPTION [ID…]</c>: delivers dead letters again (those named, or all of the subscription's) with their deliveries reset.</summary>
internal static class MessagesRequeueCommand
{
    public static Command Create(CliContext context)
    {
        var subscription = new Argument<string>("subscription") { Description = "The subscription whose dead letters to requeue" };
        var ids = new Argument<string[]>("id") { Description = $"Message ids (at most {MessageLimits.MaxReceive}); none: every dead letter", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("requeue", "Deliver dead letters again, with their deliveries reset") { subscription, ids };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(subscription);
            var selected = (session.ParseResult.GetValue(ids) ?? []).Distinct(StringComparer.Ordinal).ToList();
            if (selected.Count > MessageLimits.MaxReceive)
            {
                throw new CliException($"{selected.Count} ids given; requeue at most {MessageLimits.MaxReceive} at a time, or none for every dead letter", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            var requeued = await client.RequeueMessagesAsync(name, selected.Count == 0 ? null : selected, cancellationToken);
            session.Out.WriteLine($"{(requeued == 1 ? "1 dead letter" : $"{requeued} dead letters")} of subscription/{name} requeued");
            if (selected.Count > requeued)
            {
                session.Console.WriteLine($"note: {selected.Count - requeued} of the ids given were not dead letters of subscription/{name}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
