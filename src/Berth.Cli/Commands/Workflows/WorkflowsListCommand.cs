using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Workflows;
using Spectre.Console;

namespace Berth.Cli.Commands.Workflows;

/// <summary><c>berth workflows ls [-o table|json|yaml]</c>: every applied workflow.</summary>
internal static class WorkflowsListCommand
{
    public static Command Create(CliContext context)
    {
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List applied workflows") { output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var workflows = await client.ListWorkflowsAsync(cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, workflows, format);
                return ExitCodes.Ok;
            }

            if (workflows.Count == 0)
            {
                session.Console.WriteLine("no workflows; apply one with 'berth apply -f FILE'");
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(Table(workflows, session.Context.Time.GetUtcNow()));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<WorkflowRecord> workflows, DateTimeOffset now)
    {
        var table = new Table().NoBorder().AddColumns("NAME", "STEPS", "INPUTS", "SCHEDULES", "GENERATION", "UPDATED", "AGE");
        foreach (var workflow in workflows.OrderBy(w => w.Name, StringComparer.Ordinal))
        {
            var spec = workflow.Spec;
            table.AddRow(
                new Text(workflow.Name),
                new Text(spec.Steps.Count.ToString(CultureInfo.InvariantCulture)),
                new Text(spec.Inputs.Count == 0 ? "-" : string.Join(", ", spec.Inputs.Keys)),
                new Text(spec.Schedules.Count.ToString(CultureInfo.InvariantCulture)),
                new Text(workflow.Generation.ToString(CultureInfo.InvariantCulture)),
                new Text(Formats.Age(workflow.UpdatedAt, now) + " ago"),
                new Text(Formats.Age(workflow.CreatedAt, now)));
        }

        return table;
    }
}
