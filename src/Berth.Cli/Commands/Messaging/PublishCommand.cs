using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth publish TOPIC -d JSON [--key K] [--id ID] [--attr NAME=VALUE …] [-o table|json|yaml]</c>: publishes one message and
/// prints its id on stdout (<c>ID=$(berth publish …)</c> works); a repeat of a known <c>--id</c> says so on stderr.
/// </summary>
internal static class PublishCommand
{
    public static Command Create(CliContext context)
    {
        var topic = new Argument<string>("topic") { Description = "The topic to publish to" };
        var input = new MessageInput();
        var output = GlobalOptions.CreateOutput();
        var command = new Command("publish", "Publish a message to a topic and print its id") { topic, output };
        input.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var message = await input.ReadAsync(session, cancellationToken);
            using var client = session.CreateClient();
            var published = await client.PublishAsync(session.ParseResult.GetRequiredValue(topic), message, cancellationToken);
            Write(session, published, session.ParseResult.GetValue(output));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The id on stdout (or the whole answer as JSON or YAML), and what happened on stderr.</summary>
    internal static void Write(CliSession session, PublishResponse published, OutputFormat format)
    {
        session.Console.WriteLine(published.Duplicate
            ? $"duplicate: {published.Topic} already has this --id (message {published.Id}); nothing new was stored"
            : $"published to {published.Topic}");
        if (format == OutputFormat.Table)
        {
            session.Out.WriteLine(published.Id);
        }
        else
        {
            DataWriter.Write(session.Out, published, format);
        }
    }
}
