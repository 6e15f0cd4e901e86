using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth describe agent NAME</c>: the spec in brief, the instances, the last events and where to call it.</summary>
internal static class DescribeCommand
{
    private const int EventsShown = 10;

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The agent's name" };
        var agent = new Command("agent", "Describe one agent in detail") { name };
        agent.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var view = await client.GetAgentAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            var events = await RecentEvents.GetAsync(client, view.Name, EventsShown, cancellationToken);
            Write(session, view, events, client.GetProxyAddress(view.Name));
            return ExitCodes.Ok;
        });

        return new Command("describe", "Show details of a resource") { agent };
    }

    private static void Write(CliSession session, AgentView view, IReadOnlyList<AgentEvent> events, Uri proxy)
    {
        var console = session.OutConsole;
        var now = session.Context.Time.GetUtcNow();
        var spec = view.Spec;
        var summary = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => summary.AddRow(new Text(label + ":"), new Text(value));
        summary.AddRow(new Text("Name:"), new Text(view.Name));
        summary.AddRow(new Text("State:"), new Markup(Formats.StateMarkup(Formats.Name(view.State)) + Markup.Escape($" (desired {Formats.Name(view.DesiredState)})")));
        Row("Ready", $"{view.ReadyReplicas}/{view.Replicas}");
        Row("Generation", view.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("Runtime", view.Runtime);
        Row("Source", view.Source);
        if (spec.Process is { } process)
        {
            Row("Command", string.Join(' ', new[] { process.Command }.Concat(process.Args)));
        }

        Row("Port", spec.Kind == AgentKind.Process ? "assigned (PORT)" : spec.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("Health", $"{spec.Health.Path ?? "tcp connect"} every {Duration.Format(spec.Health.Interval)}, timeout {Duration.Format(spec.Health.Timeout)}, {spec.Health.Retries} retries");
        Row("Restart", $"{Formats.Name(spec.Restart.Policy)}, max backoff {Duration.Format(spec.Restart.MaxBackoff)}");
        if (spec.Env.Count > 0)
        {
            Row("Env", string.Join(", ", spec.Env.Keys.Order(StringComparer.Ordinal)));
        }

        if (spec.Capabilities.Count > 0)
        {
            Row("Capabilities", string.Join(", ", spec.Capabilities));
        }

        if (spec.DependsOn.Count > 0)
        {
            Row("Depends on", string.Join(", ", spec.DependsOn));
        }

        Row("Created", Formats.Time(view.CreatedAt, now));
        Row("Proxy URL", proxy.ToString());
        console.Write(summary);
        console.WriteLine();

        console.WriteLine("Instances:");
        if (view.Instances.Count == 0)
        {
            console.WriteLine("  none");
        }
        else
        {
            var instances = new Table().NoBorder().AddColumns("ID", "STATE", "RESTARTS", "EXIT CODE", "STARTED", "MESSAGE");
            foreach (var instance in view.Instances)
            {
                instances.AddRow(
                    new Text(instance.Id),
                    new Markup(Formats.StateMarkup(Formats.Name(instance.State))),
                    new Text(instance.RestartCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Text(instance.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                    new Text(instance.StartedAt is { } started ? Formats.Age(started, now) + " ago" : "-"),
                    new Text(instance.Message ?? ""));
            }

            console.Write(instances);
        }

        console.WriteLine();
        console.WriteLine("Events:");
        if (events.Count == 0)
        {
            console.WriteLine("  none");
            return;
        }

        var table = new Table().NoBorder().AddColumns("AGE", "REASON", "INSTANCE", "MESSAGE");
        foreach (var agentEvent in events)
        {
            table.AddRow(
                new Text(Formats.Age(agentEvent.Time, now)),
                new Markup(agentEvent.Warning ? $"[yellow]{Markup.Escape(agentEvent.Reason)}[/]" : Markup.Escape(agentEvent.Reason)),
                new Text(agentEvent.InstanceId ?? "-"),
                new Text(agentEvent.Message));
        }

        console.Write(table);
    }
}
