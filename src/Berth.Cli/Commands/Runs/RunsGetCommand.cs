using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Runs;

/// <summary><c>berth runs get ID [-o table|json|yaml]</c>: one run, its inputs and every step.</summary>
internal static class RunsGetCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The run's id (printed by 'berth run', listed by 'berth runs ls')" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("get", "Show one run and its steps") { id, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var run = await client.GetRunAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, run, format);
                return ExitCodes.Ok;
            }

            Write(session, run);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, RunView run)
    {
        var now = session.Context.Time.GetUtcNow();
        var summary = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => summary.AddRow(new Text(label + ":"), new Text(value));
        Row("Id", run.Id);
        Row("Workflow", run.Workflow);
        summary.AddRow(new Text("State:"), new Markup(RunStates.Markup(run.State)));
        Row("Started by", run.StartedBy);
        if (run.ParentRunId is { } parent)
        {
            Row("Parent run", parent);
        }

        Row("Inputs", run.Inputs.Count == 0 ? "none" : run.Inputs.ToJsonString());
        Row("Created", Formats.Time(run.CreatedAt, now));
        Row("Finished", Formats.Time(run.FinishedAt, now));
        Row("Duration", StepsTable.Elapsed((run.FinishedAt ?? now) - run.CreatedAt));
        if (run.Error is { } error)
        {
            Row("Error", error);
        }

        session.OutConsole.Write(summary);
        session.OutConsole.WriteLine();
        if (run.Steps is not { Count: > 0 })
        {
            session.OutConsole.WriteLine("Steps: none");
            return;
        }

        session.OutConsole.Write(StepsTable.Build(run, now));
    }
}
