using System.Security.Cryptography;
using Berth.Core.Agents;
using Berth.Core.Runtime;

namespace Berth.Server.Reconciliation;

internal sealed partial class Reconciler
{
    private async Task<AgentRoute?> ReconcileAgentAsync(AgentRecord agent, Pass pass, CancellationToken cancellationToken)
    {
        var observation = pass.Observation;
        var stored = pass.Stored[agent.Name].ToList();
        var driver = runtimes.Configured(agent.Spec.Kind);
        if (driver is null || !observation.Answered(driver))
        {
            // Nothing can be observed or changed; keep the records as they are until the driver answers.
            return new AgentRoute(agent.Name, AgentStatus.Derive(agent, stored), [], agent.Spec.Persistence, agent.Spec.Protocol);
        }

        if (agent.DesiredState == DesiredState.Removed)
        {
            await RemoveAgentAsync(agent, driver, observation, stored, cancellationToken);
            return null;
        }

        var current = await AdoptAsync(agent, observation, stored, cancellationToken);
        var slots = await RetireStaleAsync(agent, driver, current, cancellationToken);
        var wanted = agent.DesiredState == DesiredState.Running ? agent.Spec.Replicas : 0;
        var records = new List<InstanceRecord>();
        foreach (var record in slots.Values)
        {
            records.Add(record.Ordinal < wanted
                ? await StepInstanceAsync(agent, driver, record, observation.Find(record.InstanceId), pass, cancellationToken)
                : await StopInstanceAsync(agent, driver, record, observation.Find(record.InstanceId), cancellationToken));
        }

        for (var ordinal = 0; ordinal < wanted; ordinal++)
        {
            if (!slots.ContainsKey(ordinal))
            {
                var fresh = NewInstance(agent, ordinal);
                await instances.UpsertAsync(fresh, cancellationToken);
                records.Add(await StepInstanceAsync(agent, driver, fresh, null, pass, cancellationToken));
            }
        }

        var healthy = records.Where(r => r.State == InstanceState.Running && r.Endpoint is not null).Select(r => r.Endpoint!).ToList();
        return new AgentRoute(agent.Name, AgentStatus.Derive(agent, records), healthy, agent.Spec.Persistence, agent.Spec.Protocol);
    }

    /// <summary>Takes over instances the driver runs but the store does not know (a crash between start and save, or a lost database row).</summary>
    private async Task<List<InstanceRecord>> AdoptAsync(
        AgentRecord agent, Observation observation, List<InstanceRecord> stored, CancellationToken cancellationToken)
    {
        var known = stored.Select(r => r.InstanceId).ToHashSet(StringComparer.Ordinal);
        var all = new List<InstanceRecord>(stored);
        foreach (var found in observation.ForAgent(agent.Name).Where(i => !known.Contains(i.InstanceId)))
        {
            var adopted = new InstanceRecord
            {
                InstanceId = found.InstanceId,
                AgentName = agent.Name,
                Ordinal = found.Ordinal,
                Generation = found.Generation,
                State = found.Status == RuntimeStatus.Running ? InstanceState.Starting : InstanceState.Restarting,
                Endpoint = found.Endpoint,
                StartedAt = found.StartedAt,
                NextRestartAt = found.Status == RuntimeStatus.Running ? null : time.GetUtcNow(),
                UpdatedAt = time.GetUtcNow(),
            };
            await instances.UpsertAsync(adopted, cancellationToken);
            await EmitAsync(agent.Name, adopted.InstanceId, "Adopted", $"found {found.Status.ToString().ToLowerInvariant()} instance {found.NativeId ?? found.InstanceId}", false, cancellationToken);
            all.Add(adopted);
        }

        return all;
    }

    /// <summary>Removes instances of an older generation, beyond the replica count, or duplicating a slot; returns one record per slot.</summary>
    private async Task<SortedDictionary<int, InstanceRecord>> RetireStaleAsync(
        AgentRecord agent, IAgentRuntime driver, List<InstanceRecord> current, CancellationToken cancellationToken)
    {
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

            await driver.RemoveAsync(record.InstanceId, cancellationToken);
            await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, reason, cancellationToken);
            await instances.DeleteAsync(record.InstanceId, cancellationToken);
            _trackers.TryRemove(record.InstanceId, out _);
            await EmitAsync(agent.Name, record.InstanceId, "Removed", reason, false, cancellationToken);
        }

        return slots;
    }

    private async Task<InstanceRecord> StopInstanceAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, RuntimeInstance? observed, CancellationToken cancellationToken)
    {
        if (observed?.Status == RuntimeStatus.Running)
        {
            await driver.StopAsync(record.InstanceId, options.Value.Reconciler.StopGrace, cancellationToken);
        }

        if (record.State == InstanceState.Stopped)
        {
            return record;
        }

        await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, "instance stopped", cancellationToken);
        await EmitAsync(agent.Name, record.InstanceId, "Stopped", "stopped on request", false, cancellationToken);
        return await SaveAsync(record, record with { State = InstanceState.Stopped, Endpoint = null, NextRestartAt = null, Message = null }, cancellationToken);
    }

    private async Task RemoveAgentAsync(
        AgentRecord agent, IAgentRuntime driver, Observation observation, List<InstanceRecord> stored, CancellationToken cancellationToken)
    {
        await identities.RevokeAgentAsync(agent.Name, cancellationToken);
        var ids = stored.Select(r => r.InstanceId).Concat(observation.ForAgent(agent.Name).Select(i => i.InstanceId)).Distinct();
        foreach (var id in ids)
        {
            await driver.RemoveAsync(id, cancellationToken);
            _trackers.TryRemove(id, out _);
        }

        await driver.RemoveAgentResourcesAsync(agent.Name, cancellationToken);
        _preparations.TryRemove(agent.Name, out _);
        await agents.DeleteAsync(agent.Name, cancellationToken);
        LogAgentEvent(agent.Name, "Removed", null, "agent and all its instances removed");
    }

    private InstanceRecord NewInstance(AgentRecord agent, int ordinal) => new()
    {
        InstanceId = $"{agent.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}",
        AgentName = agent.Name,
        Ordinal = ordinal,
        Generation = agent.Generation,
        State = InstanceState.Pending,
        UpdatedAt = time.GetUtcNow(),
    };

    /// <summary>Persists the record when it changed; returns what is stored.</summary>
    private async Task<InstanceRecord> SaveAsync(InstanceRecord before, InstanceRecord after, CancellationToken cancellationToken)
    {
        after = after with { Message = redactor.Redact(after.Message) };
        if (after == before with { UpdatedAt = after.UpdatedAt })
        {
            return before;
        }

        var stamped = after with { UpdatedAt = time.GetUtcNow() };
        await instances.UpsertAsync(stamped, cancellationToken);
        return stamped;
    }
}
