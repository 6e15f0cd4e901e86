using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;

namespace Berth.Server.Agents;

/// <summary>
/// Runs an agent's configured health probe now against each of its instances (<c>berth health</c>), with the probe the
/// reconciler uses. Read-only: what it finds is reported, never recorded, so it moves no instance in or out of rotation.
/// </summary>
internal sealed class AgentHealthCheck(IAgentStore agents, IInstanceStore instances, IHealthProbe probe, TimeProvider time)
{
    /// <summary>The report, or null when there is no such agent (a plugin's pool is the plugin's, not an agent).</summary>
    public async Task<AgentHealthReport?> CheckAsync(string name, CancellationToken ct)
    {
        var agent = await agents.GetAsync(name, ct);
        if (agent is null or { Plugin: not null } || agent.DesiredState == DesiredState.Removed)
        {
            return null;
        }

        var checkedAt = time.GetUtcNow();
        var records = (await instances.ListAsync(name, ct)).OrderBy(i => i.Ordinal).ThenByDescending(i => i.Generation).ToList();

        // Probed together, so one instance that hangs until its timeout does not add its wait to the others'.
        var results = await Task.WhenAll(records.Select(r => ProbeAsync(agent.Spec, r, ct)));
        return new AgentHealthReport
        {
            Agent = name,
            Healthy = results.Length > 0 && results.All(r => r.Healthy),
            Probe = agent.Spec.Health.Path is { } path ? $"GET {path}" : "tcp connect",
            CheckedAt = checkedAt,
            Instances = results,
        };
    }

    private async Task<InstanceHealth> ProbeAsync(AgentSpec spec, InstanceRecord instance, CancellationToken ct)
    {
        if (instance is not { State: InstanceState.Starting or InstanceState.Running or InstanceState.Unhealthy, Endpoint: { } endpoint })
        {
            return new InstanceHealth
            {
                Id = instance.InstanceId,
                Ordinal = instance.Ordinal,
                State = instance.State,
                Healthy = false,
                Detail = $"not probed: the instance is {instance.State.ToString().ToLowerInvariant()}" + (instance.Message is { } why ? $" ({why})" : ""),
            };
        }

        var started = time.GetTimestamp();
        var result = await probe.ProbeAsync(endpoint, spec.Health, spec.Protocol, ct);
        return new InstanceHealth
        {
            Id = instance.InstanceId,
            Ordinal = instance.Ordinal,
            State = instance.State,
            Healthy = result.Healthy,
            StatusCode = result.StatusCode,
            Detail = result.Detail,
            LatencyMs = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 3),
        };
    }
}
