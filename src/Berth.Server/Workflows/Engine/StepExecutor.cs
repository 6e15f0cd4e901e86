using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Runs;
using Berth.Server.Observability;
using Berth.Server.Hosting;
using Berth.Server.Workflows.Resilience;
using Berth.Server.Workflows.Steps;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Runs one step to its end and stores every transition: fans out over <c>forEach</c> items, looks each unit up in the cache,
/// takes a concurrency slot, and runs attempts through the step's retry, circuit breaker and timeout pipeline.
/// </summary>
internal sealed class StepExecutor(
    ContainerStepAction containers,
    AgentStepAction agents,
    PluginStepAction plugins,
    ChildWorkflowAction children,
    IRunStore runs,
    StepResilience resilience,
    IOptions<BerthOptions> options,
    TimeProvider time)
{
    public async Task ExecuteAsync(RunRecorder recorder, StepSpec step, ExpressionScope scope, SemaphoreSlim slots, RunSignals signals)
    {
        using var activity = WorkflowTracing.StartStep(recorder.Run, step.Id, MetricText.Of(step.Kind));
        try
        {
            await ExecuteStepAsync(recorder, step, scope, slots, signals);
        }
        finally
        {
            WorkflowTracing.EndStep(activity, recorder.Step(step.Id));
        }
    }

    private async Task ExecuteStepAsync(RunRecorder recorder, StepSpec step, ExpressionScope scope, SemaphoreSlim slots, RunSignals signals)
    {
        var started = time.GetUtcNow();
        try
        {
            var items = ForEachItems(step, scope);
            var results = await RunUnitsAsync(recorder, step, scope, items, slots, signals);
            var outputs = items is null ? results[0].Outputs : new StepOutputs { Items = results.Select(r => r.Outputs).ToList() };
            var cached = results.Count > 0 && results.All(r => r.Cached);
            var now = time.GetUtcNow();
            await recorder.StepAsync(
                step.Id,
                s => s with
                {
                    State = cached ? StepState.Cached : StepState.Succeeded,
                    Outputs = outputs,
                    StartedAt = s.StartedAt ?? started,
                    FinishedAt = now,
                    Failure = null,
                    RetryAt = null,
                    ContainerId = null,
                    CacheKey = items is null ? results[0].Key : null,
                },
                cached ? "step.cached" : "step.succeeded",
                cached ? "outputs reused from the cache; nothing ran" : $"took {Seconds(now - (recorder.Step(step.Id).StartedAt ?? started))}",
                signals.Stopping);
        }
        catch (Exception) when (signals.IsStopping)
        {
            throw;
        }
        catch (OperationCanceledException) when (signals.IsCancelled)
        {
            await recorder.StepAsync(step.Id, s => Finished(s, StepState.Cancelled, null), "step.cancelled", "the run was cancelled", signals.Stopping);
        }
        catch (OperationCanceledException) when (signals.IsTimedOut)
        {
            var failure = new StepFailure { Class = ErrorClass.Timeout, Message = $"the workflow's timeout of {Duration.Format(signals.Timeout ?? TimeSpan.Zero)} passed; the step was stopped" };
            await recorder.StepAsync(step.Id, s => Finished(s, StepState.Failed, failure), "step.failed", StepFailures.Describe(failure), signals.Stopping);
        }
        catch (Exception ex)
        {
            var failure = StepFailures.From(ex, step);
            await recorder.StepAsync(step.Id, s => Finished(s, StepState.Failed, failure), "step.failed", StepFailures.Describe(failure), signals.Stopping);
        }
    }

    private StepRun Finished(StepRun step, StepState state, StepFailure? failure) =>
        step with { State = state, Failure = failure, FinishedAt = time.GetUtcNow(), RetryAt = null, ContainerId = null };

    /// <summary>The items of a <c>forEach</c> step, or null for a plain step.</summary>
    private JsonArray? ForEachItems(StepSpec step, ExpressionScope scope)
    {
        if (step.ForEach is null)
        {
            return null;
        }

        var items = Template.Parse(step.ForEach).Evaluate(scope) as JsonArray
            ?? throw new StepRunException(ErrorClass.Config, $"forEach must evaluate to a list, but '{step.ForEach}' did not");
        // Each item becomes a unit with its own task, events and stored outputs: an unbounded list is unbounded memory.
        var max = options.Value.Workflows.MaxForEachItems;
        return items.Count <= max
            ? items
            : throw new StepRunException(
                ErrorClass.Config, $"forEach gave {items.Count} items, more than the {max} one step may run (Berth:Workflows:MaxForEachItems); split the list across steps or runs");
    }

    private async Task<IReadOnlyList<UnitResult>> RunUnitsAsync(
        RunRecorder recorder, StepSpec step, ExpressionScope scope, JsonArray? items, SemaphoreSlim slots, RunSignals signals)
    {
        if (items is null)
        {
            var stored = recorder.Step(step.Id);
            var reattach = stored.State == StepState.Running ? stored.ContainerId : null;
            if (stored is { State: StepState.Retrying, RetryAt: { } retryAt } && retryAt > time.GetUtcNow())
            {
                // Resumed while waiting to retry: keep the backoff the stopped server had chosen.
                await Task.Delay(retryAt - time.GetUtcNow(), time, signals.Token);
            }

            var unit = new StepUnit(recorder.Run.Id, recorder.Run.WorkflowName, step, scope, step.Id);
            return [await RunUnitAsync(recorder, unit, null, stored.Attempt, reattach, slots, signals, signals.Token)];
        }

        // One failed item stops the others: the step has failed either way.
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(signals.Token);
        var tasks = items.Select(async (item, index) =>
        {
            var unit = new StepUnit(recorder.Run.Id, recorder.Run.WorkflowName, step, scope with { Item = item?.DeepClone(), Index = index }, $"{step.Id}-{index}");
            try
            {
                return await RunUnitAsync(recorder, unit, index, 0, null, slots, signals, failFast.Token);
            }
            catch
            {
                await failFast.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            return await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (!signals.Token.IsCancellationRequested)
        {
            throw tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException)
                ?? throw new InvalidOperationException("a forEach item was cancelled without a failure");
        }
    }

    private async Task<UnitResult> RunUnitAsync(
        RunRecorder recorder, StepUnit unit, int? index, int attemptsMade, string? reattach, SemaphoreSlim slots, RunSignals signals, CancellationToken token)
    {
        var step = unit.Step;
        var prepared = step.Kind switch
        {
            StepKind.Container => await containers.PrepareAsync(unit, token),
            StepKind.Agent => await agents.PrepareAsync(unit, token),
            StepKind.Plugin => await plugins.PrepareAsync(unit, token),
            StepKind.Workflow => await children.PrepareAsync(unit, token),
            // Config, not transient: retrying cannot teach this server a kind it does not know.
            _ => throw new StepRunException(ErrorClass.Config, $"step '{step.Id}' is a {step.Kind.ToString().ToLowerInvariant()} step, which this server cannot run"),
        };
        var key = prepared.CacheKey;
        var useCache = key is not null && (step.Cache?.Enabled ?? prepared.CachedByDefault);
        if (useCache)
        {
            var hit = await runs.FindCacheAsync(key!.Key, time.GetUtcNow(), token);
            WorkflowMetrics.RecordCacheLookup(hit is not null);
            if (hit is not null)
            {
                return new UnitResult(hit.Outputs, true, key.Key);
            }
        }

        // A re-attached container is the stored attempt itself, not a new one.
        var next = reattach is null ? attemptsMade : attemptsMade - 1;
        var pipeline = resilience.For(step, next, prepared.Target, args => RetryingAsync(recorder, unit, index, prepared.Target, args, signals), slots);
        StepOutputs outputs;
        try
        {
            outputs = await pipeline.ExecuteAsync(
                async ct =>
                {
                    var number = Interlocked.Increment(ref next);
                    var container = reattach;
                    reattach = null;
                    var attempt = await BeginAttemptAsync(recorder, unit, index, number, container, key?.Key, signals);
                    return await prepared.RunAttemptAsync(attempt, ct);
                },
                token);
        }
        catch (BrokenCircuitException ex)
        {
            throw StepFailures.Named(ex, prepared.Target);
        }
        if (useCache)
        {
            var now = time.GetUtcNow();
            await runs.PutCacheAsync(
                new CacheEntry
                {
                    Key = key!.Key,
                    WorkflowName = unit.WorkflowName,
                    StepId = step.Id,
                    Parts = key.Parts,
                    Outputs = outputs,
                    CreatedAt = now,
                    ExpiresAt = step.Cache?.Ttl is { } ttl ? now + ttl : null,
                },
                signals.Stopping);
        }

        return new UnitResult(outputs, false, key?.Key);
    }

    private async Task<StepAttempt> BeginAttemptAsync(
        RunRecorder recorder, StepUnit unit, int? index, int number, string? reattach, string? cacheKey, RunSignals signals)
    {
        var now = time.GetUtcNow();
        var stepId = unit.Step.Id;
        var label = index is null ? $"attempt {number}" : $"item {index}, attempt {number}";
        await recorder.StepAsync(
            stepId,
            s => s with
            {
                State = StepState.Running,
                Attempt = Math.Max(s.Attempt, number),
                StartedAt = s.StartedAt ?? now,
                RetryAt = null,
                CacheKey = index is null ? cacheKey : null,
                ContainerId = index is null ? reattach : s.ContainerId,
            },
            "step.started",
            reattach is null ? label : $"{label}: re-attached to its container after a server restart",
            signals.Stopping);
        return new StepAttempt(
            number,
            reattach,
            containerId => index is null
                ? recorder.StepAsync(stepId, s => s with { ContainerId = containerId }, null, null, signals.Stopping)
                : Task.CompletedTask,
            line => recorder.Log(stepId, number, index is null ? line : $"[{index}] {line}"));
    }

    private async ValueTask RetryingAsync(
        RunRecorder recorder, StepUnit unit, int? index, string? target, OnRetryArguments<object> args, RunSignals signals)
    {
        var failure = StepFailures.From(StepFailures.Named(args.Outcome.Exception!, target), unit.Step);
        var retryAt = time.GetUtcNow() + args.RetryDelay;
        var item = index is null ? "" : $"item {index}: ";
        await recorder.StepAsync(
            unit.Step.Id,
            s => s with { State = StepState.Retrying, RetryAt = retryAt, Failure = failure, ContainerId = null },
            "step.retrying",
            $"{item}{StepFailures.Describe(failure)}; next attempt in {Seconds(args.RetryDelay)}",
            signals.Stopping);
    }

    private static string Seconds(TimeSpan value) => $"{value.TotalSeconds.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture)}s";

    private sealed record UnitResult(StepOutputs Outputs, bool Cached, string? Key);
}
