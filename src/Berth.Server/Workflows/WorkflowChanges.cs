namespace Berth.Server.Workflows;

/// <summary>
/// An in-process signal raised after a workflow was applied with a change or deleted, so watchers such as MCP resource
/// subscriptions learn of it without polling. Listeners run on the writer's thread: they must only take note and return.
/// </summary>
internal sealed class WorkflowChanges
{
    /// <summary>Raised with the workflow's name and whether the set of workflows changed (one added or deleted).</summary>
    public event Action<string, bool>? Changed;

    public void Raise(string workflowName, bool listChanged) => Changed?.Invoke(workflowName, listChanged);
}
