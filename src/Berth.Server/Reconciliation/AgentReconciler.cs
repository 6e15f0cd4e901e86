using System.Security.Cryptography;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Server.Runtimes;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Compares one desired agent with what its driver runs and takes one step towards it: adopts instances the store does not
/// know, retires stale or duplicate ones, starts, probes or stops each replica slot, and fills empty slots.
/// </summary>
internal sealed partial class AgentReconciler(
    RuntimeCatalog runtimes,
    InstanceRecorder recorder,
    InstanceLauncher launcher,
    InstanceProber prober,
    InstanceExits exits,
    InstanceRemovals removals,
    ILogger<AgentReconciler> logger)
{
    /// <summary>Reconciles one agent; returns its route, or null once it is removed. A failure is logged and recorded as an event.</summary>
    public async Task<AgentRoute?> ReconcileAsync(AgentRecord agent, Observation observation, DesiredAgents desired, CancellationToken cancellationToken)
    {
        try
        {
            return await StepAsync(agent, observation, desired, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogAgentFailed(ex, agent.Name);
            await recorder.EmitAsync(agent.Name, null, "ReconcileFailed", ex.Message, warning: true, cancellationToken);
            return null;
        }
    }

    private async Task<AgentRoute?> StepAsync(AgentRecord agent, Observation observation, DesiredAgents desired, CancellationToken cancellationToken)
    {
        var stored = desired.Stored(agent.Name);
        var driver = runtimes.Configured(agent.Spec.Kind);
        if (driver is null || !observation.Answered(driver))
        {
            // Nothing can be observed or changed; keep the records as they are until the driver answers.
            return new AgentRoute(agent.Name, AgentStatus.Derive(agent, stored), [], agent.Spec.Persistence, agent.Spec.Protocol, agent.Spec.Mcp?.Path, agent.Spec.A2a?.Card);
        }

        if (agent.DesiredState == DesiredState.Removed)
        {
            launcher.Forget(agent.Name);
            await removals.RemoveAgentAsync(
                agent, driver, stored.Select(r => r.InstanceId).Concat(observation.ForAgent(agent.Name).Select(i => i.InstanceId)), cancellationToken);
            return null;
        }

        var current = await AdoptAsync(agent, observation, stored, cancellationToken);
        var slots = await RetireStaleAsync(agent, driver, current, cancellationToken);
        var wanted = agent.DesiredState == DesiredState.Running ? agent.Spec.Replicas : 0;
        var records = new List<InstanceRecord>(Math.Max(wanted, slots.Count));
        foreach (var record in slots)
        {
            records.Add(record.Ordinal < wanted
                ? await StepInstanceAsync(agent, driver, record, observation.Find(record.InstanceId), desired, cancellationToken)
                : await exits.StopAsync(agent, driver, record, observation.Find(record.InstanceId), cancellationToken));
        }

        for (var ordinal = 0; ordinal < wanted; ordinal++)
        {
            if (!HasSlot(slots, ordinal))
            {
                var fresh = NewInstance(agent, ordinal);
                await recorder.UpsertAsync(fresh, cancellationToken);
                records.Add(await StepInstanceAsync(agent, driver, fresh, null, desired, cancellationToken));
            }
        }

        return RouteOf(agent, records);
    }

    /// <summary>The route to <paramref name="agent"/> through its instances that are running (probed healthy) with an endpoint.</summary>
    public static AgentRoute RouteOf(AgentRecord agent, IReadOnlyList<InstanceRecord> records)
    {
        var healthy = new List<Uri>(records.Count);
        foreach (var record in records)
        {
            if (record is { State: InstanceState.Running, Endpoint: { } endpoint })
            {
                healthy.Add(endpoint);
            }
        }

        return new AgentRoute(agent.Name, AgentStatus.Derive(agent, records), healthy, agent.Spec.Persistence, agent.Spec.Protocol, agent.Spec.Mcp?.Path, agent.Spec.A2a?.Card);
    }

    /// <summary>Moves one wanted instance one step along its lifecycle.</summary>
    private async ValueTask<InstanceRecord> StepInstanceAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, RuntimeInstance? observed, DesiredAgents desired, CancellationToken cancellationToken)
    {
        if (observed?.Status == RuntimeStatus.Running)
        {
            return await prober.ProbeAsync(agent, driver, record, observed, cancellationToken);
        }

        return record.State switch
        {
            InstanceState.Pending or InstanceState.Stopped => await launcher.StartAsync(agent, driver, record, desired, restart: false, cancellationToken),
            InstanceState.Starting or InstanceState.Running or InstanceState.Unhealthy => await exits.OnExitAsync(agent, record, observed, cancellationToken),
            InstanceState.Restarting when record.NextRestartAt is null || recorder.Now >= record.NextRestartAt =>
                await launcher.StartAsync(agent, driver, record, desired, restart: true, cancellationToken),
            _ => record,
        };
    }

    /// <summary>
    /// Takes over instances the driver runs but the store does not know (a crash between start and save, or a lost database
    /// row). Returns <paramref name="stored"/> itself when there is none, the case of every pass on an idle server.
    /// </summary>
    private async ValueTask<IReadOnlyList<InstanceRecord>> AdoptAsync(
        AgentRecord agent, Observation observation, IReadOnlyList<InstanceRecord> stored, CancellationToken cancellationToken)
    {
        List<InstanceRecord>? all = null;
        foreach (var found in observation.ForAgent(agent.Name))
        {
            if (Contains(stored, found.InstanceId))
            {
                continue;
            }

            var adopted = new InstanceRecord
            {
                InstanceId = found.InstanceId,
                AgentName = agent.Name,
                Ordinal = found.Ordinal,
                Generation = found.Generation,
                State = found.Status == RuntimeStatus.Running ? InstanceState.Starting : InstanceState.Restarting,
                Endpoint = found.Endpoint,
                StartedAt = found.StartedAt,
                NextRestartAt = found.Status == RuntimeStatus.Running ? null : recorder.Now,
                UpdatedAt = recorder.Now,
            };
            await recorder.UpsertAsync(adopted, cancellationToken);
            await recorder.EmitAsync(agent.Name, adopted.InstanceId, "Adopted", $"found {found.Status.ToString().ToLowerInvariant()} instance {found.NativeId ?? found.InstanceId}", false, cancellationToken);
            (all ??= [.. stored]).Add(adopted);
        }

        return all ?? stored;
    }

    /// <summary>
    /// Removes instances of an older generation, beyond the replica count, or duplicating a slot; returns one record per slot,
    /// in slot order.
    /// </summary>
    private async ValueTask<IReadOnlyList<InstanceRecord>> RetireStaleAsync(
        AgentRecord agent, IAgentRuntime driver, IReadOnlyList<InstanceRecord> current, CancellationToken cancellationToken)
    {
        if (AllCurrent(agent, current))
        {
            // Nothing to retire (every pass on an idle server): skip sorting and copying.
            return current;
        }

        var slots = new SortedDictionary<int, InstanceRecord>();
        var newestFirst = current
            .OrderByDescending(r => r.Generation == agent.Generation)
            .ThenByDescending(r => r.State is InstanceState.Running)
            .ThenByDescending(r => r.StartedAt);
        foreach (var record in newestFirst)
        {
            var reason = record.Generation != agent.Generation ? $"replaced by generation {agent.Generation}"
                : record.Ordinal >= agent.Spec.Replicas ? $"scaled down to {agent.Spec.Replicas} replicas"
                : slots.ContainsKey(record.Ordinal) ? $"duplicate of slot {record.Ordinal}"
                : null;
            if (reason is null)
            {
                slots[record.Ordinal] = record;
                continue;
            }

            await removals.RetireAsync(agent, driver, record, reason, cancellationToken);
        }

        return [.. slots.Values];
    }

    /// <summary>Whether every record is of the current generation, within the replica count, and in strictly increasing slots.</summary>
    private static bool AllCurrent(AgentRecord agent, IReadOnlyList<InstanceRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Generation != agent.Generation || record.Ordinal >= agent.Spec.Replicas || (i > 0 && records[i - 1].Ordinal >= record.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(IReadOnlyList<InstanceRecord> records, string instanceId)
    {
        foreach (var record in records)
        {
            if (string.Equals(record.InstanceId, instanceId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasSlot(IReadOnlyList<InstanceRecord> slots, int ordinal)
    {
        foreach (var record in slots)
        {
            if (record.Ordinal == ordinal)
            {
                return true;
            }
        }

        return false;
    }

    private InstanceRecord NewInstance(AgentRecord agent, int ordinal) => new()
    {
        InstanceId = $"{agent.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}",
        AgentName = agent.Name,
        Ordinal = ordinal,
        Generation = agent.Generation,
        State = InstanceState.Pending,
        UpdatedAt = recorder.Now,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling agent {AgentName} failed")]
    private partial void LogAgentFailed(Exception exception, string agentName);
}
