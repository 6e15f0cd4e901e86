using System.CommandLine;
using Berth.Cli.Output;
using Berth.Core.Messaging;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// <c>berth topics create NAME [--ordering none|key] [--max-deliveries N] [--visibility-timeout D] [--retention D]
/// [--dead-letter TOPIC] [--dedupe-window D]</c>: creates a topic, or sets an existing one to exactly these settings (others at
/// their defaults), as applying a <c>kind: Topic</c> document would. The spec is checked before anything is sent.
/// </summary>
internal static class TopicsCreateCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new TopicSpec();
        var name = new Argument<string>("name") { Description = "The topic's name, a DNS label" };
        var ordering = new Option<string?>("--ordering") { Description = "key: one key's messages are delivered in order (default none)", HelpName = "none|key" };
        ordering.AcceptOnlyFromAmong("none", "key");
        var maxDeliveries = new Option<int?>("--max-deliveries") { Description = $"Deliveries before a message is dead-lettered, 1 to 1000 (default {defaults.MaxDeliveries})", HelpName = "N" };
        var visibility = MessagingOptions.CreateDuration("--visibility-timeout", "How long a delivery is leased before it is delivered again unless acked (default 30s)");
        var retention = MessagingOptions.CreateDuration("--retention", "How long a message waits to be acked before it is dropped (default 7d)");
        var deadLetter = new Option<string?>("--dead-letter") { Description = "A topic dead letters are also published to", HelpName = "topic" };
        var dedupe = MessagingOptions.CreateDuration("--dedupe-window", "How long a message --id is remembered, so a repeat is not stored (default 10m)");
        var command = new Command("create", "Create a topic (or set an existing one to these settings)")
        {
            name, ordering, maxDeliveries, visibility, retention, deadLetter, dedupe,
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var result = session.ParseResult;
            var spec = new TopicSpec
            {
                Name = result.GetRequiredValue(name),
                Ordering = result.GetValue(ordering) == "key" ? MessageOrdering.Key : MessageOrdering.None,
                MaxDeliveries = result.GetValue(maxDeliveries) ?? defaults.MaxDeliveries,
                VisibilityTimeout = result.GetValue(visibility) ?? defaults.VisibilityTimeout,
                Retention = result.GetValue(retention) ?? defaults.Retention,
                DeadLetter = result.GetValue(deadLetter),
                DedupeWindow = result.GetValue(dedupe) ?? defaults.DedupeWindow,
            };
            var errors = TopicSpecValidator.Validate(spec);
            if (errors.Count > 0)
            {
                session.Console.MarkupLineInterpolated($"[red]error:[/] topic '{spec.Name}' is not valid:");
                ErrorOutput.WriteSpecErrors(session.Console, null, errors);
                return ExitCodes.Invalid;
            }

            using var client = session.CreateClient();
            var applied = await client.ApplyTopicAsync(spec, cancellationToken);
            session.Out.WriteLine($"topic/{applied.Name} {Formats.Name(applied.Outcome)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
