using Berth.Client.Contracts;
using Berth.Core.Workflows.Planning;
using Berth.Core.Workflows.Runs;

namespace Berth.Server.Workflows.Api;

/// <summary>Stored runs and steps as the API shows them.</summary>
internal static class RunViews
{
    public static RunView Summary(WorkflowRun run, IReadOnlyList<StepRun> steps) => View(run) with
    {
        StepCounts = steps.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count()),
    };

    public static RunView Detail(WorkflowRun run, IReadOnlyList<StepRun> steps)
    {
        var plan = WorkflowPlan.Create(run.Spec);
        return Summary(run, steps) with
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
