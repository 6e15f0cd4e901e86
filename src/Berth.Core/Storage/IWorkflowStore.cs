using Berth.Core.Workflows;

namespace Berth.Core.Storage;

/// <summary>Applied workflows. Implementations are safe for concurrent use.</summary>
public interface IWorkflowStore
{
    /// <summary>The workflow, or null when unknown.</summary>
    Task<WorkflowRecord?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every workflow, ordered by name.</summary>
    Task<IReadOnlyList<WorkflowRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates the workflow or updates its spec; the generation increases only when the spec differs.</summary>
    Task<(WorkflowRecord Workflow, ApplyOutcome Outcome)> ApplyAsync(WorkflowSpec spec, CancellationToken cancellationToken);

    /// <summary>Forgets the workflow (its runs stay). Returns false when unknown.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
