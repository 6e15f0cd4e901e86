using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Berth.Core.Workflows.Runs;
using Spectre.Console;

namespace Berth.Cli.Commands.Runs;

/// <summary>The steps of one run as a table, in the workflow's order: state, attempt, duration, cache use and why a step failed.</summary>
internal static class StepsTable
{
    /// <summary>Builds the table; with <paramref name="lastLogs"/> (step id → its latest log line) a LAST LOG column is added.</summary>
    public static Table Build(RunView run, DateTimeOffset now, IReadOnlyDictionary<string, string>? lastLogs = null, bool border = false)
    {
        var table = new Table().AddColumns("STEP", "KIND", "STATE", "ATTEMPT", "DURATION", "CACHE", "FAILURE");
        if (!border)
        {
            table.NoBorder();
        }

        if (lastLogs is not null)
        {
            table.AddColumn("LAST LOG");
        }

        foreach (var step in run.Steps ?? [])
        {
            var cells = new List<Spectre.Console.Rendering.IRenderable>
            {
                new Text(step.Id),
                new Text(Formats.Name(step.Kind)),
                new Markup(RunStates.Markup(step.State)),
                new Text(step.Attempt > 0 ? step.Attempt.ToString(CultureInfo.InvariantCulture) : "-"),
                new Text(StepDuration(step, now)),
                new Text(Cache(step)),
                new Text(Failure(step)),
            };
            if (lastLogs is not null)
            {
                cells.Add(new Text(lastLogs.GetValueOrDefault(step.Id, "")));
            }

            table.AddRow(cells);
        }

        return table;
    }

    /// <summary>How long the step ran (so far, while it runs): <c>1.2s</c>, <c>3m12s</c>; <c>-</c> before it started.</summary>
    public static string StepDuration(StepView step, DateTimeOffset now) =>
        step.StartedAt is { } started ? Elapsed((step.FinishedAt ?? now) - started) : "-";

    /// <summary><c>350ms</c>, <c>4.2s</c>, <c>2m5s</c>, <c>1h2m</c>.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        return elapsed.TotalSeconds < 1 ? $"{(int)elapsed.TotalMilliseconds}ms"
            : elapsed.TotalSeconds < 10 ? $"{elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"
            : elapsed.TotalMinutes < 1 ? $"{(int)elapsed.TotalSeconds}s"
            : elapsed.TotalHours < 1 ? $"{elapsed.Minutes}m{elapsed.Seconds}s"
            : $"{(int)elapsed.TotalHours}h{elapsed.Minutes}m";
    }

    /// <summary><c>hit</c> when the outputs came from the cache, <c>miss</c> when a cached step ran, <c>-</c> when caching does not apply.</summary>
    public static string Cache(StepView step) =>
        step.State == StepState.Cached ? "hit" : step.CacheKey is null ? "-" : "miss";

    /// <summary><c>class: message</c> (with the exit code when there is one) for a failed or skipped step; empty otherwise.</summary>
    public static string Failure(StepView step) => step.Failure is { } failure
        ? $"{Formats.Name(failure.Class)}: {failure.Message}{(failure.ExitCode is { } code ? $" (exit {code.ToString(CultureInfo.InvariantCulture)})" : "")}"
        : "";
}
