namespace Berth.Core.Workflows.Planning;

/// <summary>One step of a plan: its spec, its position in the spec, and the steps that must finish before it starts.</summary>
public sealed record PlannedStep
{
    /// <summary>The step as written.</summary>
    public required StepSpec Spec { get; init; }

    /// <summary>The step's position in <see cref="WorkflowSpec.Steps"/> (as in the path <c>spec.steps[2]</c>), not in the plan.</summary>
    public required int Index { get; init; }

    /// <summary>Ids of the steps it needs: its <c>dependsOn</c> and the steps its expressions name.</summary>
    public required IReadOnlySet<string> Needs { get; init; }
}
