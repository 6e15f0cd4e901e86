using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;
using Berth.Server.Runtimes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Agents;

/// <summary>What the API (and later MCP) does to agents: validate, store the desired state, and wake the reconciler.</summary>
internal sealed class AgentCommands(
    IAgentStore agents,
    IInstanceStore instances,
    IEventStore events,
    RuntimeCatalog runtimes,
    ReconcileSignal signal,
    TimeProvider time)
{
    private static readonly TimeSpan RemovePollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<AgentView?> ViewAsync(string name, CancellationToken ct)
    {
        var agent = await agents.GetAsync(name, ct);
        return agent is null ? null : AgentViews.ToView(agent, await instances.ListAsync(name, ct), runtimes);
    }

    public async Task<ApplyOutcomeOrProblem> ApplyAsync(AgentSpec spec, CancellationToken ct)
    {
        var errors = AgentSpecValidator.Validate(spec).Concat(SecretReferenceErrors(spec)).ToList();
        if (errors.Count > 0)
        {
            return new(null, Problems.Problems.Validation(errors));
        }

        var driver = runtimes.For(spec.Kind);
        if (driver is null)
        {
            return new(null, Problems.Problems.Conflict($"Agent '{spec.Name}' cannot run here: {runtimes.Explain(spec.Kind)}."));
        }

        var result = await agents.ApplyAsync(spec, ct);
        if (result.Outcome != ApplyOutcome.Unchanged)
        {
            await RecordAsync(spec.Name, "Applied", $"spec {result.Outcome.ToString().ToLowerInvariant()} (generation {result.Agent.Generation})", ct);
            signal.Poke();
        }

        var view = AgentViews.ToView(result.Agent, await instances.ListAsync(spec.Name, ct), runtimes);
        return new(new ApplyResponse(result.Outcome, view), null);
    }

    public async Task<Results<Ok<AgentView>, ProblemHttpResult>> SetDesiredAsync(string name, DesiredState state, CancellationToken ct)
    {
        var current = await agents.GetAsync(name, ct);
        if (current is null || current.DesiredState == DesiredState.Removed)
        {
            return Problems.Problems.AgentNotFound(name);
        }

        if (current.DesiredState != state)
        {
            await agents.SetDesiredStateAsync(name, state, ct);
            await RecordAsync(name, state == DesiredState.Running ? "StartRequested" : "StopRequested", $"desired state set to {state.ToString().ToLowerInvariant()}", ct);
            signal.Poke();
        }

        return TypedResults.Ok((await ViewAsync(name, ct))!);
    }

    public async Task<Results<Ok<AgentView>, ProblemHttpResult>> RestartAsync(string name, CancellationToken ct)
    {
        var current = await agents.GetAsync(name, ct);
        if (current is null || current.DesiredState == DesiredState.Removed)
        {
            return Problems.Problems.AgentNotFound(name);
        }

        var bumped = await agents.BumpGenerationAsync(name, ct);
        await RecordAsync(name, "RestartRequested", $"every instance will be replaced (generation {bumped!.Generation})", ct);
        if (current.DesiredState == DesiredState.Stopped)
        {
            await agents.SetDesiredStateAsync(name, DesiredState.Running, ct);
        }

        signal.Poke();
        return TypedResults.Ok((await ViewAsync(name, ct))!);
    }

    /// <summary>Marks the agent removed and waits up to <paramref name="wait"/> for the reconciler to finish. Null when unknown.</summary>
    public async Task<bool?> RemoveAsync(string name, TimeSpan wait, CancellationToken ct)
    {
        if (await agents.SetDesiredStateAsync(name, DesiredState.Removed, ct) is null)
        {
            return null;
        }

        signal.Poke();
        var deadline = time.GetUtcNow() + wait;
        while (await agents.GetAsync(name, ct) is not null)
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(RemovePollInterval, time, ct);
        }

        return true;
    }

    // Secrets arrive with the secrets store; until then a reference could only reach the agent as literal text.
    private static IEnumerable<SpecError> SecretReferenceErrors(AgentSpec spec) =>
        spec.Env
            .Where(e => e.Value.Contains("${secret:", StringComparison.Ordinal))
            .Select(e => new SpecError($"spec.env.{e.Key}", "secret references need a secret named in Berth's secret store, and this server has no secrets yet; pass the value through ${VAR} substitution from your environment instead"));

    private Task<AgentEvent> RecordAsync(string name, string reason, string message, CancellationToken ct) =>
        events.AppendAsync(new AgentEvent { Time = time.GetUtcNow(), AgentName = name, Reason = reason, Message = message }, ct);
}
