using Berth.Client.Contracts;
using Berth.Core.Workflows.Planning;
using Berth.Core.Workflows.Runs;

namespace Berth.Server.Workflows.Api;

/// <summary>Stored runs and steps as the API shows them.</summary>
internal static class RunViews
{
    /// <summary>A run as lists show it: its steps only counted by state.</summary>
    public static RunView Summary(WorkflowRun run, IReadOnlyDictionary<StepState, int> stepCounts) => View(run) with { StepCounts = stepCounts };

    /// <summary>A run just created: every step pending.</summary>
    public static RunView Created(WorkflowRun run) => Summary(run, new Dictionary<StepState, int> { [StepState.Pending] = run.Spec.Steps.Count });

    public static RunView Detail(WorkflowRun run, IReadOnlyList<StepRun> steps)
    {
        var plan = WorkflowPlan.Create(run.Spec);
        return Summary(run, steps.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count())) with
        {
            Steps = steps.Select(s =>
            {
                var planned = plan[s.StepId];
                return new StepView
                {
                    Id = s.StepId,
                    Kind = planned.Spec.Kind,
                    Needs = planned.Needs.Order(StringComparer.Ordinal).ToList(),
                    State = s.State,
                    Attempt = s.Attempt,
                    StartedAt = s.StartedAt,
                    FinishedAt = s.FinishedAt,
                    RetryAt = s.RetryAt,
                    Outputs = s.Outputs,
                    Failure = s.Failure,
                    CacheKey = s.CacheKey,
                };
            }).ToList(),
        };
    }

    private static RunView View(WorkflowRun run) => new()
    {
        Id = run.Id,
        Workflow = run.WorkflowName,
        State = run.State,
        StartedBy = run.StartedBy,
        ParentRunId = run.ParentRunId,
        Inputs = run.Inputs,
        CreatedAt = run.CreatedAt,
        FinishedAt = run.FinishedAt,
        Error = run.Error,
    };
}
