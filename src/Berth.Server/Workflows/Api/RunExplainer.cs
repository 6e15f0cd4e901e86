using Berth.Client.Contracts;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Workflows.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Workflows.Api;

/// <summary>
/// Answers <c>berth runs explain RUN STEP</c>: whether the step hit the cache and, on a miss, which parts of its key changed;
/// for a step that was not looked up, why (its kind, a plugin that is not deterministic, <c>cache.enabled: false</c>).
/// </summary>
internal sealed class RunExplainer(IRunStore runs, TimeProvider time)
{
    private const int EarlierEntries = 50;

    public async Task<Results<Ok<CacheExplanation>, ProblemHttpResult>> ExplainAsync(string runId, string stepId, CancellationToken ct)
    {
        var run = await runs.GetAsync(runId, ct);
        if (run is null)
        {
            return Problems.Problems.RunNotFound(runId);
        }

        var step = (await runs.GetStepsAsync(runId, ct)).FirstOrDefault(s => s.StepId == stepId);
        var spec = run.Spec.Steps.FirstOrDefault(s => s.Id == stepId);
        if (step is null || spec is null)
        {
            return Problems.Problems.Problem(404, "Step not found", Problems.Problems.NotFoundType, $"Run {runId} has no step '{stepId}'; its steps are {string.Join(", ", run.Spec.Steps.Select(s => s.Id))}.");
        }

        var answer = new CacheExplanation { RunId = runId, StepId = stepId, Hit = step.State == StepState.Cached, Key = step.CacheKey, Message = "" };
        if (answer.Hit)
        {
            return TypedResults.Ok(answer with { Message = $"step {stepId} reused the outputs stored under its key; nothing ran" });
        }

        // A plugin step has a key only when it is cached (its plugin is deterministic, or cache.enabled: true asks for it).
        if (step.CacheKey is null || !(spec.Cache?.Enabled ?? spec.Kind is StepKind.Container or StepKind.Plugin))
        {
            return TypedResults.Ok(answer with { Message = NoKey(spec, step) });
        }

        var entry = await runs.FindCacheAsync(step.CacheKey, time.GetUtcNow(), ct);
        if (entry is null)
        {
            return TypedResults.Ok(answer with { Message = $"step {stepId} ran and stored nothing under its key (it failed, or the entry expired), so there is nothing to compare" });
        }

        var earlier = (await runs.RecentCacheAsync(run.WorkflowName, stepId, EarlierEntries, ct))
            .Where(e => e.Key != entry.Key && e.CreatedAt <= entry.CreatedAt);
        var closest = CacheMissExplainer.Closest(entry.Parts, earlier);
        if (closest is null)
        {
            return TypedResults.Ok(answer with { Message = $"step {stepId} missed the cache: no earlier result of this step is stored (its first run, or earlier entries expired)" });
        }

        var differences = CacheMissExplainer.Differences(entry.Parts, closest.Parts);
        return TypedResults.Ok(answer with
        {
            ClosestCreatedAt = closest.CreatedAt,
            Differences = differences,
            Message = $"step {stepId} missed the cache: {string.Join(", ", differences)} since the closest earlier result",
        });
    }

    private static string NoKey(StepSpec spec, StepRun step) => spec switch
    {
        { ForEach: not null } => $"step {spec.Id} is a forEach step: each item is looked up in the cache on its own",
        { Kind: StepKind.Workflow } => $"step {spec.Id} runs a child workflow, which is not cached itself (its own steps are)",
        { Kind: StepKind.Agent, Cache: null or { Enabled: not true } } => $"step {spec.Id} calls an agent, which is cached only with cache.enabled: true",
        { Cache.Enabled: false } => $"step {spec.Id} has cache.enabled: false",
        { Kind: StepKind.Plugin, Plugin.Capability: { } capability, Cache: null or { Enabled: not true } } =>
            $"step {spec.Id} asks for capability {capability}, served by whichever plugin is healthy, so it is cached only with cache.enabled: true",
        { Kind: StepKind.Plugin, Cache: null or { Enabled: not true } } when step.Outputs?.Provider is { } provider =>
            $"step {spec.Id} ran {provider}, which does not declare deterministic: true; a plugin step is cached only when its plugin is deterministic or the step sets cache.enabled: true",
        _ => $"step {spec.Id} did not get as far as its cache lookup (it is {step.State.ToString().ToLowerInvariant()})",
    };
}
