using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth messages show ID [-o table|json|yaml]</c>: one message with its body, and where it stands with each subscription that holds it.</summary>
internal static class MessagesShowCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The message's id" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("show", "Show a message: its body, attributes and deliveries") { id, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var detail = await client.GetMessageAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, detail, format);
                return ExitCodes.Ok;
            }

            Write(session, detail);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, MessageDetail detail)
    {
        var message = detail.Message;
        var now = session.Context.Time.GetUtcNow();
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => grid.AddRow(new Text(label + ":"), new Text(value));
        Row("Message", message.Id);
        Row("Topic", message.Topic);
        Row("Key", message.Key ?? "-");
        Row("Attributes", message.Attributes.Count == 0 ? "-" : string.Join(", ", message.Attributes.Select(a => $"{a.Key}={a.Value}")));
        Row("Published", $"{Formats.Time(message.PublishedAt, now)} by {message.Publisher}");
        Row("Message-Id", message.DedupeId ?? "-");
        Row("Correlation", message.CorrelationId ?? "-");
        Row("Reply to", message.ReplyTo ?? "-");
        session.OutConsole.Write(grid);
        session.OutConsole.WriteLine("Body:");
        DataWriter.Write(session.Out, message.Body, OutputFormat.Json);
        if (detail.Deliveries.Count == 0)
        {
            session.Console.WriteLine("no subscription holds it any more (every one acked it)");
            return;
        }

        var table = new Table().NoBorder().AddColumns("SUBSCRIPTION", "STATE", "DELIVERIES", "NEXT DELIVERY", "LAST ERROR");
        foreach (var entry in detail.Deliveries)
        {
            table.AddRow(
                new Text(entry.Subscription),
                new Markup(MessagesListCommand.StateMarkup(entry.State)),
                new Text(entry.Deliveries.ToString(CultureInfo.InvariantCulture)),
                new Text(entry.NextDeliveryAt is { } next ? Formats.Time(next, now) : "-"),
                new Text(entry.LastError ?? "-"));
        }

        session.OutConsole.Write(table);
    }
}
