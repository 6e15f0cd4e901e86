using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Berth.Server.Reconciliation;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Berth.Server.Agents;

/// <summary>What the API (and later MCP) does to agents: validate, store the desired state, and wake the reconciler.</summary>
internal sealed class AgentCommands(
    IAgentStore agents,
    IInstanceStore instances,
    IEventStore events,
    RuntimeCatalog runtimes,
    ReconcileSignal signal,
    SecretRedactor redactor,
    Security.AgentIdentities identities,
    AgentApplyChecks checks,
    AgentChanges changes,
    IOptions<BerthOptions> options,
    Proxy.ProxyTraffic traffic,
    TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RemovePollInterval = TimeSpan.FromMilliseconds(100);

    // Applies are checked against the stored agents and then stored one at a time, so two applies that together close a dependsOn cycle cannot both pass.
    private readonly SemaphoreSlim _applyGate = new(1, 1);

    public void Dispose() => _applyGate.Dispose();

    /// <summary>Every agent with its instances, as <c>GET /api/v1/agents</c> and the <c>list_agents</c> tool show them.</summary>
    public async Task<List<AgentView>> ListViewsAsync(CancellationToken ct)
    {
        var all = await agents.ListAsync(ct);
        var byAgent = (await instances.ListAsync(null, ct)).ToLookup(i => i.AgentName, StringComparer.Ordinal);
        return all.Select(a => AgentViews.ToView(a, byAgent[a.Name].ToList(), runtimes) with { RequestRate = traffic.RatePerSecond(a.Name) }).ToList();
    }

    public async Task<AgentView?> ViewAsync(string name, CancellationToken ct)
    {
        // A plugin's pool is an agent row too, but it is the plugin's, shown by the plugin registry.
        var agent = await agents.GetAsync(name, ct);
        return agent is null or { Plugin: not null }
            ? null
            : AgentViews.ToView(agent, await instances.ListAsync(name, ct), runtimes) with { RequestRate = traffic.RatePerSecond(name) };
    }

    /// <summary>What the server knows that a spec cannot tell: the data directory no volume may mount.</summary>
    public SpecValidationContext ValidationContext => SpecValidationContext.ForDataDirectory(options.Value.DataDir);

    /// <summary>Applies a spec the API has read and validated (<see cref="Problems.SpecBody"/>, with <see cref="ValidationContext"/>), checking what only the server can (<see cref="AgentApplyChecks"/>).</summary>
    public async Task<ApplyOutcomeOrProblem> ApplyAsync(AgentSpec spec, CancellationToken ct)
    {
        await _applyGate.WaitAsync(ct);
        try
        {
            if (await checks.CheckAsync([spec], prefixed: false, ct) is { } problem)
            {
                return new(null, problem);
            }

            var result = await agents.ApplyAsync(spec, ct);
            if (result.Outcome != ApplyOutcome.Unchanged)
            {
                await RecordAsync(spec.Name, "Applied", $"spec {result.Outcome.ToString().ToLowerInvariant()} (generation {result.Agent.Generation})", ct);
                changes.Raise(spec.Name, listChanged: result.Outcome == ApplyOutcome.Created);
                signal.Poke();
            }

            var view = AgentViews.ToView(result.Agent, await instances.ListAsync(spec.Name, ct), runtimes);
            return new(new ApplyResponse(result.Outcome, view), null);
        }
        finally
        {
            _applyGate.Release();
        }
    }

    public async Task<Results<Ok<AgentView>, ProblemHttpResult>> SetDesiredAsync(string name, DesiredState state, CancellationToken ct)
    {
        var current = await agents.GetAsync(name, ct);
        if (current is null or { Plugin: not null } || current.DesiredState == DesiredState.Removed)
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
        if (current is null or { Plugin: not null } || current.DesiredState == DesiredState.Removed)
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
        // A plugin's pool goes with its version ('berth plugins rm'), never on its own.
        if (Plugins.PluginPoolNames.IsPluginAgent(name) || await agents.SetDesiredStateAsync(name, DesiredState.Removed, ct) is null)
        {
            return null;
        }

        changes.Raise(name);
        await identities.RevokeAgentAsync(name, ct);
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

    private async Task RecordAsync(string name, string reason, string message, CancellationToken ct)
    {
        await events.AppendAsync(new AgentEvent { Time = time.GetUtcNow(), AgentName = name, Reason = reason, Message = redactor.Redact(message) }, ct);
        changes.Raise(name);
    }
}
