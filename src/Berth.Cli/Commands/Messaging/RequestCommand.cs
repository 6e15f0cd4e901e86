using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth request AGENT -d JSON [--timeout 30s] [--key K] [--id ID] [--attr NAME=VALUE …]</c>: sends a request to an agent's
/// mailbox and waits for the reply; prints the reply's body as JSON on stdout (its id and sender on stderr). No reply within the
/// timeout exits 6, naming the request so its reply can still be looked for.
/// </summary>
internal static class RequestCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CliContext context)
    {
        var agent = new Argument<string>("agent") { Description = "The agent to ask" };
        var input = new MessageInput();
        var timeout = MessagingOptions.CreateDuration("--timeout", $"How long to wait for the reply (default {Duration.Format(DefaultTimeout)})");
        var command = new Command("request", "Send a request to an agent's mailbox and print the reply's body") { agent, timeout };
        input.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(agent);
            var wait = session.ParseResult.GetValue(timeout) ?? DefaultTimeout;
            var message = await input.ReadAsync(session, cancellationToken);
            using var client = session.CreateClient();
            // The server holds the call until the reply or the timeout: the HTTP timeout must outlast it.
            client.Timeout = wait + BerthClient.HoldMargin;
            var answer = await client.RequestAsync(name, message, wait, cancellationToken);
            if (answer.Reply is not { } reply)
            {
                session.Console.MarkupLineInterpolated(
                    $"[red]error:[/] no reply from agent/{name} within {Duration.Format(wait)} (request {answer.RequestId}, correlation id {answer.CorrelationId}); the request stays in its mailbox");
                return ExitCodes.Timeout;
            }

            session.Console.WriteLine($"reply {reply.Id} from {reply.Publisher}");
            DataWriter.Write(session.Out, reply.Body, OutputFormat.Json);
            return ExitCodes.Ok;
        });
        return command;
    }
}
