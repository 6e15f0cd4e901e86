using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth send AGENT -d JSON [--key K] [--id ID] [--attr NAME=VALUE …] [-o table|json|yaml]</c>: puts a message in an agent's
/// mailbox and prints its id. A verb of its own rather than <c>berth mailbox send</c>: <c>berth mailbox AGENT</c> reads a mailbox,
/// and an agent may well be called <c>send</c>.
/// </summary>
internal static class SendCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose mailbox receives the message" };
        var input = new MessageInput();
        var output = GlobalOptions.CreateOutput();
        var command = new Command("send", "Send a message to an agent's mailbox and print its id") { agent, output };
        input.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var message = await input.ReadAsync(session, cancellationToken);
            using var client = session.CreateClient();
            var sent = await client.SendMailAsync(session.ParseResult.GetRequiredValue(agent), message, cancellationToken);
            PublishCommand.Write(session, sent, session.ParseResult.GetValue(output));
            return ExitCodes.Ok;
        });
        return command;
    }
}
