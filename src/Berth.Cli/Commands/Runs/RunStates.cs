using Berth.Cli.Output;
using Berth.Core.Workflows.Runs;

namespace Berth.Cli.Commands.Runs;

/// <summary>Run and step states as people type and read them (<c>running</c>, <c>failed</c>), coloured for tables.</summary>
internal static class RunStates
{
    public static string All => string.Join(", ", Enum.GetValues<RunState>().Select(s => Formats.Name(s)));

    /// <summary>The run state named by <paramref name="text"/>; a usage error listing the states when it names none.</summary>
    public static RunState Parse(string text, string option)
    {
        foreach (var state in Enum.GetValues<RunState>())
        {
            if (string.Equals(Formats.Name(state), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return state;
            }
        }

        throw new CliException($"{option} must be one of {All}; got '{text}'", ExitCodes.Usage);
    }

    /// <summary>Whether the run has finished, one way or another.</summary>
    public static bool IsFinished(RunState state) => state is RunState.Succeeded or RunState.Failed or RunState.Cancelled;

    public static string Markup(RunState state) => state switch
    {
        RunState.Succeeded => "[green]succeeded[/]",
        RunState.Failed => "[red]failed[/]",
        RunState.Cancelled => "[yellow]cancelled[/]",
        RunState.Running => "[blue]running[/]",
        _ => Formats.Name(state),
    };

    public static string Markup(StepState state) => state switch
    {
        StepState.Succeeded => "[green]succeeded[/]",
        StepState.Cached => "[green]cached[/]",
        StepState.Failed => "[red]failed[/]",
        StepState.Retrying => "[yellow]retrying[/]",
        StepState.Cancelled => "[yellow]cancelled[/]",
        StepState.Running => "[blue]running[/]",
        StepState.Skipped or StepState.Pending => $"[grey]{Formats.Name(state)}[/]",
        _ => Formats.Name(state),
    };
}
