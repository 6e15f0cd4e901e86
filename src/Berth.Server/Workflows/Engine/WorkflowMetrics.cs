using System.Diagnostics;
using System.Diagnostics.Metrics;
using Berth.Core.Workflows.Runs;
using Berth.Server.Observability;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Runs and steps as they finish, read off the transitions <see cref="RunRecorder"/> stores: <c>berth.workflow.runs</c> and
/// <c>berth.workflow.run.duration</c> (tagged <c>berth.workflow</c>, <c>berth.run.state</c>); <c>berth.workflow.steps</c> (also
/// <c>berth.step.kind</c>, <c>berth.step.state</c> and, for a failure or a retry, <c>berth.error_class</c>) and
/// <c>berth.workflow.step.duration</c>; and <c>berth.workflow.cache.lookups</c> (<c>berth.outcome</c> <c>hit</c> or <c>miss</c>).
/// </summary>
internal static class WorkflowMetrics
{
    private static readonly Counter<long> Runs = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.workflow.runs", "{run}", "Workflow runs that finished, by final state.");

    private static readonly Histogram<double> RunDuration = BerthTelemetry.Meter.CreateHistogram(
        "berth.workflow.run.duration", "s", "Duration of finished workflow runs, from creation to the final state.", advice: DurationBuckets.Steps);

    private static readonly Counter<long> Steps = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.workflow.steps", "{step}", "Workflow steps that finished (succeeded, cached, failed, skipped, cancelled) or will be retried.");

    private static readonly Histogram<double> StepDuration = BerthTelemetry.Meter.CreateHistogram(
        "berth.workflow.step.duration", "s", "Duration of workflow steps that ran, from their start to their final state, retries included.", advice: DurationBuckets.Steps);

    private static readonly Counter<long> CacheLookups = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.workflow.cache.lookups", "{lookup}", "Step cache lookups, by outcome (hit: the step's outputs were reused and nothing ran).");

    public static void RecordCacheLookup(bool hit) => CacheLookups.Add(1, new KeyValuePair<string, object?>("berth.outcome", hit ? "hit" : "miss"));

    /// <summary>Counts a run that reached a final state.</summary>
    public static void RecordRun(WorkflowRun run)
    {
        var tags = new TagList { { "berth.workflow", run.WorkflowName }, { "berth.run.state", MetricText.Of(run.State) } };
        Runs.Add(1, tags);
        if (run.FinishedAt is { } finished)
        {
            RunDuration.Record((finished - run.CreatedAt).TotalSeconds, tags);
        }
    }

    /// <summary>Counts a step that reached a final state or is retrying.</summary>
    public static void RecordStep(WorkflowRun run, StepRun step)
    {
        var kind = run.Spec.Steps.FirstOrDefault(s => string.Equals(s.Id, step.StepId, StringComparison.Ordinal))?.Kind;
        var tags = new TagList
        {
            { "berth.workflow", run.WorkflowName },
            { "berth.step.kind", kind is { } k ? MetricText.Of(k) : "unknown" },
            { "berth.step.state", MetricText.Of(step.State) },
        };
        if (step.Failure is { } failure)
        {
            tags.Add("berth.error_class", MetricText.Of(failure.Class));
        }

        Steps.Add(1, tags);
        if (step is { StartedAt: { } started, FinishedAt: { } finished })
        {
            StepDuration.Record((finished - started).TotalSeconds, tags);
        }
    }
}
