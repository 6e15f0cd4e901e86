using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth mailbox AGENT [--ack] [--max N] [--timeout D]</c>: prints the mail in an agent's mailbox (<c>agent/NAME</c>) as it
/// arrives, one JSON line each (see <see cref="ReceiveLoop"/>). Needs the agent's own token or an operator's.
/// </summary>
internal static class MailboxCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose mailbox to read" };
        var loop = new ReceiveLoop();
        var command = new Command("mailbox", "Print the mail in an agent's mailbox as it arrives, one JSON line each") { agent };
        loop.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(agent);
            using var client = session.CreateClient();
            return await loop.RunAsync(
                session,
                $"agent/{name}",
                (max, wait, ct) => client.ReceiveMailAsync(name, max, wait, ct),
                (ackIds, ct) => client.AckMailAsync(name, ackIds, ct),
                cancellationToken);
        });
        return command;
    }
}
