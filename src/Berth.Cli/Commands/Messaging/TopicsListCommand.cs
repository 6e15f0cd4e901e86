using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth topics ls [--mailboxes] [-o table|json|yaml]</c>: every topic with its settings and subscriptions.</summary>
internal static class TopicsListCommand
{
    public static Command Create(CliContext context)
    {
        var mailboxes = new Option<bool>("--mailboxes") { Description = "Also list agents' mailboxes (agent/NAME)" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List topics") { mailboxes, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var topics = await client.ListTopicsAsync(session.ParseResult.GetValue(mailboxes), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, topics, format);
                return ExitCodes.Ok;
            }

            if (topics.Count == 0)
            {
                session.Console.WriteLine("no topics; create one with 'berth topics create NAME' or apply a kind: Topic document");
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("NAME", "ORDERING", "MAX DELIVERIES", "VISIBILITY", "RETENTION", "DEAD LETTER", "SUBSCRIPTIONS");
            foreach (var topic in topics)
            {
                var spec = topic.Spec;
                table.AddRow(
                    new Text(topic.Name),
                    new Text(spec.Ordering == MessageOrdering.Key ? "key" : "none"),
                    new Text(spec.MaxDeliveries.ToString(CultureInfo.InvariantCulture)),
                    new Text(Duration.Format(spec.VisibilityTimeout)),
                    new Text(Duration.Format(spec.Retention)),
                    new Text(spec.DeadLetter ?? "-"),
                    new Text(topic.Subscriptions.Count == 0 ? "-" : string.Join(", ", topic.Subscriptions)));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
