using System.Diagnostics;
using Berth.Core.Workflows.Runs;
using Berth.Server.Observability;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Spans of workflow runs: one per run execution (<c>run {workflow}</c>, a root: a run outlives the call that queued it) and one
/// per step (<c>step {id}</c>) as its child. A container step's process sees its step span as <c>TRACEPARENT</c>, the variable
/// OpenTelemetry's SDKs read, so its own spans nest under the step; the variable is set after the cache key is made, so it never
/// turns a hit into a miss. Spans carry states and error classes, never a failure's message (it may quote a secret).
/// </summary>
internal static class WorkflowTracing
{
    /// <summary>The environment variable a container step gets its trace context in.</summary>
    public const string TraceParentVariable = "TRACEPARENT";

    public static Activity? StartRun(WorkflowRun run)
    {
        // Called at the top of the run's own async flow, so clearing the current span here changes nothing for the caller.
        Activity.Current = null;
        var activity = BerthTelemetry.Source.StartActivity($"run {run.WorkflowName}", ActivityKind.Internal);
        activity?.SetTag("berth.workflow", run.WorkflowName);
        activity?.SetTag("berth.run.id", run.Id);
        activity?.SetTag("berth.run.resumed", run.State != RunState.Queued);
        return activity;
    }

    public static void EndRun(Activity? activity, WorkflowRun finished)
    {
        activity?.SetTag("berth.run.state", MetricText.Of(finished.State));
        if (finished.State == RunState.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "failed");
        }
    }

    public static Activity? StartStep(WorkflowRun run, string stepId, string kind)
    {
        var activity = BerthTelemetry.Source.StartActivity($"step {stepId}", ActivityKind.Internal);
        activity?.SetTag("berth.workflow", run.WorkflowName);
        activity?.SetTag("berth.run.id", run.Id);
        activity?.SetTag("berth.step.id", stepId);
        activity?.SetTag("berth.step.kind", kind);
        return activity;
    }

    public static void EndStep(Activity? activity, StepRun step)
    {
        activity?.SetTag("berth.step.state", MetricText.Of(step.State));
        if (step.Failure is { } failure)
        {
            activity?.SetTag("berth.error_class", MetricText.Of(failure.Class));
            activity?.SetStatus(ActivityStatusCode.Error, MetricText.Of(failure.Class));
        }
    }

    /// <summary><paramref name="env"/> with <c>TRACEPARENT</c> naming the current span; the same dictionary when no span is recorded.</summary>
    public static IReadOnlyDictionary<string, string> WithTraceParent(IReadOnlyDictionary<string, string> env)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            return env;
        }

        return new Dictionary<string, string>(env, StringComparer.Ordinal) { [TraceParentVariable] = id };
    }
}
