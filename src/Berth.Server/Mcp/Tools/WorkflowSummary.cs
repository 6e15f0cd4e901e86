using Berth.Core.Workflows;

namespace Berth.Server.Mcp.Tools;

/// <summary>An applied workflow as <c>list_workflows</c> shows it: enough to call <c>run_workflow</c> (its inputs) and know what it does (its steps).</summary>
internal sealed record WorkflowSummary(
    string Name,
    IReadOnlyList<string> Steps,
    IReadOnlyDictionary<string, WorkflowInputSpec> Inputs,
    int Schedules,
    long Generation,
    DateTimeOffset UpdatedAt)
{
    public static WorkflowSummary Of(WorkflowRecord workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var spec = workflow.Spec;
        return new WorkflowSummary(workflow.Name, spec.Steps.Select(s => s.Id).ToList(), spec.Inputs, spec.Schedules.Count, workflow.Generation, workflow.UpdatedAt);
    }
}

/// <summary>The answer of <c>list_workflows</c>: structured content must be an object, so the list has a name.</summary>
internal sealed record WorkflowList(IReadOnlyList<WorkflowSummary> Workflows);
