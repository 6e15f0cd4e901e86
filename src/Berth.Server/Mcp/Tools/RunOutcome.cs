using Berth.Core.Workflows.Runs;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// What <c>run_workflow</c> answers (and a workflow task's result): the run, its state and, once it finished, every step's
/// outputs by step id, with a sentence saying what to do next.
/// </summary>
internal sealed record RunOutcome
{
    public required string Id { get; init; }

    public required string Workflow { get; init; }

    public required RunState State { get; init; }

    /// <summary>True when the run reached its final state (succeeded, failed or cancelled).</summary>
    public required bool Finished { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>Each finished step's outputs by step id (stdout, exitCode, files, status, body…), when the run finished.</summary>
    public IReadOnlyDictionary<string, StepOutputs>? Outputs { get; init; }

    public required string Message { get; init; }

    public static RunOutcome Of(WorkflowRun run, IReadOnlyList<StepRun>? steps, string? unfinishedMessage = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var finished = Workflows.Engine.RunFollower.IsFinished(run.State);
        var state = run.State.ToString().ToLowerInvariant();
        return new RunOutcome
        {
            Id = run.Id,
            Workflow = run.WorkflowName,
            State = run.State,
            Finished = finished,
            Error = run.Error,
            Outputs = finished && steps is not null
                ? steps.Where(s => s.Outputs is not null).ToDictionary(s => s.StepId, s => s.Outputs!, StringComparer.Ordinal)
                : null,
            Message = finished
                ? $"run {run.Id} of workflow {run.WorkflowName} {state}{(run.Error is { } error ? $": {error}" : "")}; get_run shows each step, explain_step why one missed the cache"
                : unfinishedMessage ?? $"run {run.Id} of workflow {run.WorkflowName} is {state}; follow it with get_run, stop it with cancel_run",
        };
    }
}
