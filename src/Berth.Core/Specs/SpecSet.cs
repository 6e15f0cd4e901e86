using Berth.Core.Workflows;

namespace Berth.Core.Specs;

/// <summary>Everything read from one spec text: the resources by kind, and every problem found.</summary>
public sealed record SpecSet
{
    /// <summary>The agents of the documents that had no problems, in document order. Empty by default.</summary>
    public IReadOnlyList<AgentSpec> Agents { get; init; } = [];

    /// <summary>The workflows of the documents that had no problems, in document order. Empty by default.</summary>
    public IReadOnlyList<WorkflowSpec> Workflows { get; init; } = [];

    /// <summary>Every problem found, in document order. Empty when the text is valid.</summary>
    public IReadOnlyList<SpecError> Errors { get; init; } = [];

    /// <summary>True when no problem was found; only then should the set be applied.</summary>
    public bool IsValid => Errors.Count == 0;
}
