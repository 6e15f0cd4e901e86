using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Spectre.Console;

namespace Berth.Cli.Commands.Workflows;

/// <summary><c>berth workflows get NAME [-o table|json|yaml]</c>: one workflow's inputs and steps.</summary>
internal static class WorkflowsGetCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The workflow's name" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("get", "Show one workflow: its inputs and steps") { name, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var workflow = await client.GetWorkflowAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, workflow, format);
                return ExitCodes.Ok;
            }

            Write(session, workflow);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, WorkflowRecord workflow)
    {
        var console = session.OutConsole;
        var now = session.Context.Time.GetUtcNow();
        var spec = workflow.Spec;
        var summary = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => summary.AddRow(new Text(label + ":"), new Text(value));
        Row("Name", workflow.Name);
        Row("Generation", workflow.Generation.ToString(CultureInfo.InvariantCulture));
        Row("Concurrency", spec.Concurrency.ToString(CultureInfo.InvariantCulture));
        Row("Timeout", spec.Timeout is { } timeout ? Duration.Format(timeout) : "none");
        Row("Schedules", spec.Schedules.Count == 0 ? "none" : spec.Schedules.Count.ToString(CultureInfo.InvariantCulture));
        Row("Updated", Formats.Time(workflow.UpdatedAt, now));
        console.Write(summary);
        console.WriteLine();
        if (spec.Inputs.Count > 0)
        {
            var inputs = new Table().NoBorder().AddColumns("INPUT", "TYPE", "REQUIRED", "DEFAULT");
            foreach (var (input, declared) in spec.Inputs)
            {
                inputs.AddRow(
                    new Text(input),
                    new Text(Formats.Name(declared.Type)),
                    new Text(declared.Required ? "yes" : "no"),
                    new Text(declared.Default?.ToJsonString() ?? "-"));
            }

            console.Write(inputs);
            console.WriteLine();
        }

        var steps = new Table().NoBorder().AddColumns("STEP", "KIND", "DEPENDS ON", "WHEN");
        foreach (var step in spec.Steps)
        {
            steps.AddRow(
                new Text(step.Id),
                new Text(Formats.Name(step.Kind)),
                new Text(step.DependsOn.Count == 0 ? "-" : string.Join(", ", step.DependsOn)),
                new Text(step.When ?? "-"));
        }

        console.Write(steps);
    }
}
