using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Messaging;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth messages ls [--subscription S] [--topic T] [--state ready|leased|dead] [--limit N] [-o table|json|yaml]</c>: held
/// messages, oldest first, one row per subscription that holds each (never the body; <c>berth messages show ID</c> has it).
/// </summary>
internal static class MessagesListCommand
{
    private const int MaxLimit = 1000;

    public static Command Create(CliContext context)
    {
        var subscription = new Option<string?>("--subscription", "-s") { Description = "Only this subscription's messages (agent/NAME for a mailbox)", HelpName = "name" };
        var topic = new Option<string?>("--topic", "-t") { Description = "Only messages published to this topic", HelpName = "name" };
        var state = MessagingOptions.CreateState("Only messages in this state: ready, leased or dead");
        var limit = new Option<int?>("--limit", "-n") { Description = $"At most this many rows, 1 to {MaxLimit} (default 100)", HelpName = "N" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List held messages, oldest first") { subscription, topic, state, limit, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var count = MessagingOptions.Count(session, limit, MaxLimit);
            using var client = session.CreateClient();
            var entries = await client.ListMessagesAsync(
                session.ParseResult.GetValue(subscription), session.ParseResult.GetValue(topic), MessagingOptions.State(session, state), count, cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, entries, format);
                return ExitCodes.Ok;
            }

            if (entries.Count == 0)
            {
                session.Console.WriteLine("no messages match");
                return ExitCodes.Ok;
            }

            var now = session.Context.Time.GetUtcNow();
            var table = new Table().NoBorder().AddColumns("ID", "SUBSCRIPTION", "TOPIC", "KEY", "STATE", "DELIVERIES", "AGE", "NEXT", "LAST ERROR");
            foreach (var entry in entries)
            {
                table.AddRow(
                    new Text(entry.Id),
                    new Text(entry.Subscription),
                    new Text(entry.Topic),
                    new Text(entry.Key ?? "-"),
                    new Markup(StateMarkup(entry.State)),
                    new Text(entry.Deliveries.ToString(CultureInfo.InvariantCulture)),
                    new Text(Formats.Age(entry.PublishedAt, now)),
                    new Text(Next(entry, now)),
                    new Text(entry.LastError ?? "-"));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string StateMarkup(DeliveryState state) => state switch
    {
        DeliveryState.Dead => "[red]dead[/]",
        DeliveryState.Leased => "[yellow]leased[/]",
        _ => "ready",
    };

    /// <summary>When it is delivered next (ready) or its lease ends (leased), as a span from now: <c>in 12s</c>, <c>now</c>.</summary>
    private static string Next(MessageEntry entry, DateTimeOffset now) => entry.NextDeliveryAt is { } next
        ? next <= now ? "now" : $"in {Formats.Age(now, next)}"
        : "-";
}
