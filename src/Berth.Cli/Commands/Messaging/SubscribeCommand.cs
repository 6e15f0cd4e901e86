using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth subscribe SUBSCRIPTION [--ack] [--max N] [--timeout D]</c>: prints the subscription's messages as they arrive, one JSON
/// line each (see <see cref="ReceiveLoop"/>).
/// </summary>
internal static class SubscribeCommand
{
    public static Command Create(CliContext context)
    {
        var subscription = new Argument<string>("subscription") { Description = "The subscription to receive from" };
        var loop = new ReceiveLoop();
        var command = new Command("subscribe", "Print a subscription's messages as they arrive, one JSON line each") { subscription };
        loop.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(subscription);
            using var client = session.CreateClient();
            return await loop.RunAsync(
                session,
                $"subscription/{name}",
                (max, wait, ct) => client.ReceiveAsync(name, max, wait, ct),
                (ackIds, ct) => client.AckAsync(name, ackIds, ct),
                cancellationToken);
        });
        return command;
    }
}
