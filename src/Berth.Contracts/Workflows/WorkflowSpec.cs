using Berth.Core.Specs.Binding;
using System.Text.Json.Serialization;

namespace Berth.Core.Workflows;

/// <summary>A workflow: typed inputs and a DAG of steps, run by the engine with bounded concurrency (<c>kind: Workflow</c>).</summary>
public sealed record WorkflowSpec
{
    /// <summary>The workflow's name (<c>metadata.name</c>), a DNS label.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Inputs by name, in the order written.</summary>
    public IReadOnlyDictionary<string, WorkflowInputSpec> Inputs { get; set; } = new Dictionary<string, WorkflowInputSpec>();

    /// <summary>Steps that may run at once, 1 to 64. Default 4.</summary>
    [Expected("a number of steps from 1 to 64")]
    public int Concurrency { get; set; } = 4;

    /// <summary>Time the whole run may take; null for no limit.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The steps, in the order written (dependencies decide the order they run in).</summary>
    public IReadOnlyList<StepSpec> Steps { get; set; } = [];

    /// <summary>Cron schedules that start runs.</summary>
    [JsonPropertyName("schedule")]
    public IReadOnlyList<ScheduleSpec> Schedules { get; set; } = [];

    /// <summary>Triggers that start runs (<c>on: { message: { topic, filter } }</c>); null for none.</summary>
    public WorkflowTriggerSpec? On { get; set; }
}
