namespace Berth.Core.Workflows;

/// <summary>
/// One step of a workflow. Exactly one of <see cref="Container"/>, <see cref="Agent"/>, <see cref="Plugin"/> and <see cref="Workflow"/> is set,
/// matching <see cref="Kind"/>. Text fields may hold <c>${{ … }}</c> expressions, evaluated when the step runs; the steps
/// they name are dependencies as much as <see cref="DependsOn"/>.
/// </summary>
public sealed record StepSpec
{
    /// <summary>The step's id, unique in its workflow: a DNS label.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>What the step runs: the one of <see cref="Container"/>, <see cref="Agent"/>, <see cref="Plugin"/> or <see cref="Workflow"/> that is set.</summary>
    public StepKind Kind =>
        Agent is not null ? StepKind.Agent : Plugin is not null ? StepKind.Plugin : Workflow is not null ? StepKind.Workflow : StepKind.Container;

    /// <summary>Set for a container step.</summary>
    public ContainerStepSpec? Container { get; set; }

    /// <summary>Set for an agent step.</summary>
    public AgentStepSpec? Agent { get; set; }

    /// <summary>Set for a plugin step.</summary>
    public PluginStepSpec? Plugin { get; set; }

    /// <summary>Set for a child workflow step.</summary>
    public ChildWorkflowStepSpec? Workflow { get; set; }

    /// <summary>Steps that must finish first, beyond those its expressions name.</summary>
    public IReadOnlyList<string> DependsOn { get; set; } = [];

    /// <summary>A condition (<c>${{ inputs.deploy == true }}</c>); when false the step is skipped. Null: always run.</summary>
    public string? When { get; set; }

    /// <summary>An expression giving a list; the step runs once per item, with <c>item</c> and <c>index</c> in its expressions.</summary>
    public string? ForEach { get; set; }

    /// <summary>How failed attempts are retried; null for one attempt.</summary>
    public StepRetrySpec? Retry { get; set; }

    /// <summary>Time one attempt may take; null for no limit but the workflow's.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Result caching; null for the kind's default (container steps cached, agent steps not).</summary>
    public StepCacheSpec? Cache { get; set; }

    /// <summary>Whether the run goes on (and succeeds) when this step fails; its dependents then see it as failed.</summary>
    public bool ContinueOnError { get; set; }
}
