using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Messaging;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth subscriptions ls [--mailboxes] [-o table|json|yaml]</c>: every subscription, how it delivers and what it holds.</summary>
internal static class SubscriptionsListCommand
{
    public static Command Create(CliContext context)
    {
        var mailboxes = new Option<bool>("--mailboxes") { Description = "Also list agents' mailboxes (agent/NAME)" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List subscriptions with the messages they hold") { mailboxes, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var subscriptions = await client.ListSubscriptionsAsync(session.ParseResult.GetValue(mailboxes), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, subscriptions, format);
                return ExitCodes.Ok;
            }

            if (subscriptions.Count == 0)
            {
                session.Console.WriteLine("no subscriptions; apply a kind: Subscription document with 'berth apply -f FILE'");
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("NAME", "TOPIC", "DELIVERY", "FILTER", "READY", "LEASED", "DEAD");
            foreach (var subscription in subscriptions)
            {
                var spec = subscription.Spec;
                var stats = subscription.Stats;
                table.AddRow(
                    new Text(subscription.Name),
                    new Text(spec.Topic),
                    new Text(Delivery(spec.Delivery)),
                    new Text(spec.Filter.Count == 0 ? "-" : string.Join(", ", spec.Filter.Select(f => $"{f.Key}={f.Value}"))),
                    new Text(stats.Ready.ToString(CultureInfo.InvariantCulture)),
                    new Text(stats.Leased.ToString(CultureInfo.InvariantCulture)),
                    new Markup(stats.Dead == 0 ? "0" : $"[red]{stats.Dead.ToString(CultureInfo.InvariantCulture)}[/]"));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Delivery(DeliverySpec delivery) =>
        delivery.Push is { } push ? $"push to {push.Agent} {push.Path}"
            : delivery.Pull?.Agent is { } agent ? $"pull by {agent}"
            : "pull";
}
