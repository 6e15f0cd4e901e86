namespace Berth.Core.Workflows;

/// <summary>
/// One step of a workflow. Exactly one of <see cref="Container"/>, <see cref="Agent"/> and <see cref="Workflow"/> is set,
/// matching <see cref="Kind"/>. Text fields may hold <c>${{ … }}</c> expressions, evaluated when the step runs; the steps
/// they name are dependencies as much as <see cref="DependsOn"/>.
/// </summary>
public sealed record StepSpec
{
    /// <summary>The step's id, unique in its workflow: a DNS label.</summary>
    public required string Id { get; init; }

    /// <summary>What the step runs.</summary>
    public required StepKind Kind { get; init; }

    /// <summary>Set for a container step.</summary>
    public ContainerStepSpec? Container { get; init; }

    /// <summary>Set for an agent step.</summary>
    public AgentStepSpec? Agent { get; init; }

    /// <summary>Set for a child workflow step.</summary>
    public ChildWorkflowStepSpec? Workflow { get; init; }

    /// <summary>Steps that must finish first, beyond those its expressions name.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>A condition (<c>${{ inputs.deploy == true }}</c>); when false the step is skipped. Null: always run.</summary>
    public string? When { get; init; }

    /// <summary>An expression giving a list; the step runs once per item, with <c>item</c> and <c>index</c> in its expressions.</summary>
    public string? ForEach { get; init; }

    /// <summary>How failed attempts are retried; null for one attempt.</summary>
    public StepRetrySpec? Retry { get; init; }

    /// <summary>Time one attempt may take; null for no limit but the workflow's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Result caching; null for the kind's default (container steps cached, agent steps not).</summary>
    public StepCacheSpec? Cache { get; init; }

    /// <summary>Whether the run goes on (and succeeds) when this step fails; its dependents then see it as failed.</summary>
    public bool ContinueOnError { get; init; }
}
