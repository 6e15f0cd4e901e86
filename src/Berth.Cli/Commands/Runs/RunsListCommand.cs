using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Berth.Core.Workflows.Runs;
using Spectre.Console;

namespace Berth.Cli.Commands.Runs;

/// <summary><c>berth runs ls [--workflow W] [--state S] [--limit N] [-o table|json|yaml]</c>: runs, newest first.</summary>
internal static class RunsListCommand
{
    private const int MaxLimit = 1000;

    public static Command Create(CliContext context)
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only runs of this workflow", HelpName = "name" };
        var state = new Option<string?>("--state") { Description = $"Only runs in this state: {RunStates.All}", HelpName = "state" };
        var limit = new Option<int>("--limit") { Description = $"At most this many runs, 1 to {MaxLimit} (default 50)", HelpName = "n", DefaultValueFactory = _ => 50 };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List workflow runs, newest first") { workflow, state, limit, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var count = session.ParseResult.GetValue(limit);
            if (count is < 1 or > MaxLimit)
            {
                throw new CliException($"--limit must be from 1 to {MaxLimit}, got {count}", ExitCodes.Usage);
            }

            RunState? wanted = session.ParseResult.GetValue(state) is { } text ? RunStates.Parse(text, "--state") : null;
            using var client = session.CreateClient();
            var runs = await client.ListRunsAsync(session.ParseResult.GetValue(workflow), wanted, count, cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, runs, format);
                return ExitCodes.Ok;
            }

            if (runs.Count == 0)
            {
                session.Console.WriteLine("no runs match; start one with 'berth run WORKFLOW'");
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(Table(runs, session.Context.Time.GetUtcNow()));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The step counts in a fixed order, zeros left out: <c>2 succeeded, 1 failed</c>.</summary>
    internal static string Steps(IReadOnlyDictionary<StepState, int>? counts) =>
        counts is null or { Count: 0 }
            ? "-"
            : string.Join(", ", Enum.GetValues<StepState>().Where(s => counts.GetValueOrDefault(s) > 0).Select(s => $"{counts[s]} {Formats.Name(s)}"));

    private static Table Table(IReadOnlyList<RunView> runs, DateTimeOffset now)
    {
        var table = new Table().NoBorder().AddColumns("ID", "WORKFLOW", "STATE", "STEPS", "STARTED BY", "AGE", "DURATION");
        foreach (var run in runs)
        {
            table.AddRow(
                new Text(run.Id),
                new Text(run.Workflow),
                new Markup(RunStates.Markup(run.State)),
                new Text(Steps(run.StepCounts)),
                new Text(run.StartedBy),
                new Text(Formats.Age(run.CreatedAt, now)),
                new Text(StepsTable.Elapsed((run.FinishedAt ?? now) - run.CreatedAt)));
        }

        return table;
    }
}
