using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Health;

/// <summary><c>berth health NAME [-o table|json|yaml]</c>: probes the agent's instances now and prints what each answered.</summary>
internal static class HealthCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The agent's name" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("health", "Probe an agent's instances now with its health probe; exit 9 when it is not healthy") { name, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var report = await client.GetAgentHealthAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format == OutputFormat.Table)
            {
                Write(session, report);
            }
            else
            {
                DataWriter.Write(session.Out, report, format);
            }

            return report.Healthy ? ExitCodes.Ok : ExitCodes.Unhealthy;
        });
        return command;
    }

    private static void Write(CliSession session, AgentHealthReport report)
    {
        var passed = report.Instances.Count(i => i.Healthy);
        if (report.Instances.Count > 0)
        {
            var table = new Table().NoBorder().AddColumns("INSTANCE", "ORDINAL", "STATE", "HEALTH", "STATUS", "LATENCY", "DETAIL");
            foreach (var instance in report.Instances)
            {
                table.AddRow(
                    new Text(instance.Id),
                    new Text(instance.Ordinal.ToString(CultureInfo.InvariantCulture)),
                    new Markup(Formats.StateMarkup(Formats.Name(instance.State))),
                    new Markup(instance.Healthy ? "[green]healthy[/]" : "[red]unhealthy[/]"),
                    new Text(instance.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                    new Text(instance.LatencyMs is { } ms ? Milliseconds.Format(ms) : "-"),
                    new Text(instance.Detail));
            }

            session.OutConsole.Write(table);
        }

        var summary = report.Instances.Count == 0
            ? $"agent/{report.Agent} unhealthy: no instance to probe (start it with 'berth start {report.Agent}')"
            : $"agent/{report.Agent} {(report.Healthy ? "healthy" : "unhealthy")}: {passed}/{report.Instances.Count} instances passed {report.Probe}";
        if (report.Healthy)
        {
            session.Console.WriteLine(summary);
        }
        else
        {
            session.Console.MarkupLineInterpolated($"[red]{summary}[/]");
        }
    }
}
