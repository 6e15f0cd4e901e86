using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Planning;
using Berth.Core.Workflows.Runs;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Drives one run to its end: starts each step once the steps it needs have finished (up to the workflow's concurrency,
/// which the executor's slots enforce), skips what <c>when</c> or a skipped dependency rules out, stops starting steps after
/// a failure (steps already running finish), and stores the outcome. A resumed run continues from its stored steps:
/// finished steps keep their outputs and are not run again.
/// </summary>
internal sealed class RunExecution(StepExecutor executor, IArtifactStore artifacts, TimeProvider time)
{
    private static readonly TimeSpan LogFlushInterval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(RunRecorder recorder, ActiveRun handles, CancellationToken stopping)
    {
        var run = recorder.Run;
        using var activity = WorkflowTracing.StartRun(run);
        var plan = WorkflowPlan.Create(run.Spec);
        using var timeout = run.Spec.Timeout is { } total
            ? new CancellationTokenSource(Positive(run.CreatedAt + total - time.GetUtcNow()), time)
            : new CancellationTokenSource();
        using var signals = new RunSignals(run.Spec.Timeout, handles.Cancel.Token, timeout.Token, stopping);
        using var slots = new SemaphoreSlim(run.Spec.Concurrency);
        await recorder.RunAsync(
            r => r with { State = RunState.Running },
            [],
            run.State == RunState.Queued ? "run.started" : "run.resumed",
            run.State == RunState.Queued ? $"{plan.Steps.Count} steps, at most {run.Spec.Concurrency} at once" : "resumed: finished steps keep their outputs",
            stopping);

        using var flushing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var flusher = FlushLogsAsync(recorder, flushing.Token);
        try
        {
            var failedAt = await ScheduleAsync(recorder, plan, slots, signals);
            await FinishAsync(recorder, plan, handles, signals, failedAt);
            WorkflowTracing.EndRun(activity, recorder.Run);
        }
        finally
        {
            await flushing.CancelAsync();
            await flusher;
        }
    }

    private async Task<string?> ScheduleAsync(RunRecorder recorder, WorkflowPlan plan, SemaphoreSlim slots, RunSignals signals)
    {
        var running = new Dictionary<Task, string>();
        string? failedAt = null;
        while (true)
        {
            if (failedAt is null && !signals.Token.IsCancellationRequested)
            {
                await StartReadyAsync(recorder, plan, running, slots, signals);
            }

            if (running.Count == 0)
            {
                return failedAt;
            }

            var done = await Task.WhenAny(running.Keys);
            var stepId = running[done];
            running.Remove(done);
            try
            {
                await done;
            }
            catch when (signals.IsStopping && running.Count > 0)
            {
                // Let the other steps see the stop too before giving the run up.
                await Task.WhenAll(running.Keys.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
                throw;
            }

            if (recorder.Step(stepId).State == StepState.Failed && !plan[stepId].Spec.ContinueOnError)
            {
                failedAt ??= stepId;
            }
        }
    }

    /// <summary>Starts every step that can start; repeats while skipping steps makes others ready.</summary>
    private async Task StartReadyAsync(RunRecorder recorder, WorkflowPlan plan, Dictionary<Task, string> running, SemaphoreSlim slots, RunSignals signals)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var planned in plan.Steps)
            {
                var step = recorder.Step(planned.Spec.Id);
                if (IsFinal(step.State) || running.ContainsValue(step.StepId) || !planned.Needs.All(n => IsFinal(recorder.Step(n).State)))
                {
                    continue;
                }

                if (step.State is StepState.Pending && await SkipAsync(recorder, planned, signals) )
                {
                    changed = true;
                    continue;
                }

                if (step.State is StepState.Pending)
                {
                    await recorder.StepAsync(step.StepId, s => s with { State = StepState.Queued }, "step.queued", null, signals.Stopping);
                }

                running[executor.ExecuteAsync(recorder, planned.Spec, Scope(recorder), slots, signals)] = step.StepId;
            }
        }
        while (changed);
    }

    /// <summary>Skips (and stores) a step whose dependency was skipped or whose <c>when</c> is false; fails one whose <c>when</c> cannot be evaluated.</summary>
    private async Task<bool> SkipAsync(RunRecorder recorder, PlannedStep planned, RunSignals signals)
    {
        var spec = planned.Spec;
        var skippedNeed = planned.Needs.FirstOrDefault(n => recorder.Step(n).State == StepState.Skipped);
        string? reason = skippedNeed is not null ? $"not run: it needs step {skippedNeed}, which was skipped" : null;
        if (reason is null && spec.When is { } when)
        {
            try
            {
                reason = Template.Parse(when).IsTrue(Scope(recorder)) ? null : $"not run: when '{when}' is false";
            }
            catch (ExpressionException ex)
            {
                var failure = new StepFailure { Class = ErrorClass.Config, Message = $"when '{when}' could not be evaluated: {ex.Message}" };
                await recorder.StepAsync(spec.Id, s => s with { State = StepState.Failed, Failure = failure, FinishedAt = time.GetUtcNow() }, "step.failed", StepFailures.Describe(failure), signals.Stopping);
                return true;
            }
        }

        if (reason is null)
        {
            return false;
        }

        await recorder.StepAsync(spec.Id, s => s with { State = StepState.Skipped, FinishedAt = time.GetUtcNow() }, "step.skipped", reason, signals.Stopping);
        return true;
    }

    private async Task FinishAsync(RunRecorder recorder, WorkflowPlan plan, ActiveRun handles, RunSignals signals, string? failedAt)
    {
        var (state, error) = signals switch
        {
            { IsCancelled: true } => (RunState.Cancelled, $"cancelled by {handles.CancelledBy ?? "a user"}"),
            { IsTimedOut: true } => (RunState.Failed, $"the workflow's timeout of {Duration.Format(signals.Timeout ?? TimeSpan.Zero)} passed"),
            _ when failedAt is not null => (RunState.Failed, $"step {failedAt} failed: {recorder.Step(failedAt).Failure?.Message}"),
            _ => (RunState.Succeeded, (string?)null),
        };
        foreach (var planned in plan.Steps.Where(p => !IsFinal(recorder.Step(p.Spec.Id).State)))
        {
            var (stepState, stepEvent, reason) = state == RunState.Cancelled
                ? (StepState.Cancelled, "step.cancelled", "the run was cancelled")
                : (StepState.Skipped, "step.skipped", $"not run: {error}");
            await recorder.StepAsync(planned.Spec.Id, s => s with { State = stepState, FinishedAt = time.GetUtcNow(), RetryAt = null, ContainerId = null }, stepEvent, reason, signals.Stopping);
        }

        var type = state switch
        {
            RunState.Succeeded => "run.succeeded",
            RunState.Cancelled => "run.cancelled",
            _ => "run.failed",
        };
        await recorder.RunAsync(r => r with { State = state, FinishedAt = time.GetUtcNow(), Error = error }, [], type, error, signals.Stopping);
    }

    private ExpressionScope Scope(RunRecorder recorder) => new()
    {
        Inputs = (System.Text.Json.Nodes.JsonObject)recorder.Run.Inputs.DeepClone(),
        Trigger = (System.Text.Json.Nodes.JsonObject?)recorder.Run.Trigger?.DeepClone(),
        Steps = recorder.Steps().Where(s => s.Outputs is not null).ToDictionary(s => s.StepId, s => s.Outputs!, StringComparer.Ordinal),
        ReadFile = ReadFile,
    };

    // Expressions read files synchronously; the SQLite artifact store completes its reads synchronously, so this blocks no more than a read.
    private byte[] ReadFile(ArtifactRef file) =>
        artifacts.GetAsync(file.Sha256, CancellationToken.None).GetAwaiter().GetResult()
        ?? throw new ExpressionException($"file {file.Sha256} is missing from the artifact store");

    private static async Task FlushLogsAsync(RunRecorder recorder, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(LogFlushInterval, cancellationToken);
                await recorder.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended; its last transition stored what was queued.
        }
    }

    private static bool IsFinal(StepState state) =>
        state is StepState.Succeeded or StepState.Cached or StepState.Skipped or StepState.Failed or StepState.Cancelled;

    private static TimeSpan Positive(TimeSpan value) => value > TimeSpan.Zero ? value : TimeSpan.FromMilliseconds(1);
}
