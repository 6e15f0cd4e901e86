using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Security;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Reconciliation;

/// <summary>Removes instances for good: stale ones, every one of a removed agent, and orphans of agents nobody desires.</summary>
internal sealed partial class InstanceRemovals(
    IAgentStore agents, AgentIdentities identities, InstanceRecorder recorder, InstanceTrackers trackers, AgentChanges changes, ILogger<InstanceRemovals> logger)
{
    /// <summary>Removes one instance the agent no longer wants, with its record and identity.</summary>
    public async Task RetireAsync(AgentRecord agent, IAgentRuntime driver, InstanceRecord record, string reason, CancellationToken cancellationToken)
    {
        await driver.RemoveAsync(record.InstanceId, cancellationToken);
        await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, reason, cancellationToken);
        await recorder.DeleteAsync(record.InstanceId, cancellationToken);
        trackers.Forget(record.InstanceId);
        await recorder.EmitAsync(agent.Name, record.InstanceId, "Removed", reason, false, cancellationToken);
    }

    /// <summary>Removes every instance of an agent marked removed, what it owned on its driver, and finally the agent.</summary>
    public async Task RemoveAgentAsync(
        AgentRecord agent, IAgentRuntime driver, IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        await identities.RevokeAgentAsync(agent.Name, cancellationToken);
        foreach (var id in instanceIds.Distinct(StringComparer.Ordinal))
        {
            await driver.RemoveAsync(id, cancellationToken);
            trackers.Forget(id);
        }

        await driver.RemoveAgentResourcesAsync(agent.Name, cancellationToken);
        await agents.DeleteAsync(agent.Name, cancellationToken);
        changes.Raise(agent.Name, listChanged: true);
        recorder.Note(agent.Name, "Removed", "agent and all its instances removed");
    }

    /// <summary>Removes what the drivers run for agents that are not desired at all.</summary>
    public async Task RemoveOrphansAsync(Observation observation, DesiredAgents desired, CancellationToken cancellationToken)
    {
        foreach (var driver in observation.AnsweredDrivers.ToList())
        {
            var orphans = observation.From(driver).Where(i => !desired.Contains(i.AgentName)).ToList();
            foreach (var orphan in orphans)
            {
                await driver.RemoveAsync(orphan.InstanceId, cancellationToken);
                await identities.RevokeInstanceAsync(orphan.AgentName, orphan.InstanceId, "orphaned instance removed", cancellationToken);
                trackers.Forget(orphan.InstanceId);
                LogOrphanRemoved(orphan.InstanceId, orphan.AgentName);
            }

            foreach (var agentName in orphans.Select(o => o.AgentName).Distinct())
            {
                await driver.RemoveAgentResourcesAsync(agentName, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed orphaned instance {InstanceId} of unknown agent {AgentName}")]
    private partial void LogOrphanRemoved(string instanceId, string agentName);
}
