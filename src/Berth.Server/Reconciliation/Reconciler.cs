using System.Collections.Concurrent;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Drives what runs towards what is desired. One pass reads the desired agents, asks every driver
/// what actually runs, then for each agent adopts, starts, probes, restarts, stops or removes
/// instances, persisting every state change and publishing healthy endpoints for the proxy.
/// Passes are idempotent, so a crash at any point is repaired by the next pass.
/// </summary>
internal sealed partial class Reconciler(
    IAgentStore agents,
    IInstanceStore instances,
    IEventStore events,
    RuntimeCatalog runtimes,
    IHealthProbe probe,
    InstanceDirectory directory,
    ISecretResolver secrets,
    SecretRedactor redactor,
    AgentIdentities identities,
    AgentAccessCache access,
    IOptions<BerthOptions> options,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    private const int AgentParallelism = 8;
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, InstanceTracker> _trackers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Preparation> _preparations = new(StringComparer.Ordinal);

    /// <summary>Runs one full pass. Failures of one agent are logged and recorded as events; they do not stop the others.</summary>
    public async Task ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var desired = await agents.ListAsync(cancellationToken);
        access.Remember(desired);
        var observation = await ObserveAsync(cancellationToken);
        var stored = (await instances.ListAsync(null, cancellationToken)).ToLookup(i => i.AgentName, StringComparer.Ordinal);
        var pass = new Pass(observation, stored, desired.ToDictionary(a => a.Name, StringComparer.Ordinal));
        var routes = new ConcurrentBag<AgentRoute>();

        await Parallel.ForEachAsync(
            desired,
            new ParallelOptions { MaxDegreeOfParallelism = AgentParallelism, CancellationToken = cancellationToken },
            async (agent, ct) =>
            {
                try
                {
                    if (await ReconcileAgentAsync(agent, pass, ct) is { } route)
                    {
                        routes.Add(route);
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    LogAgentFailed(ex, agent.Name);
                    await EmitAsync(agent.Name, null, "ReconcileFailed", ex.Message, warning: true, ct);
                }
            });

        await RemoveOrphansAsync(observation, desired.Select(a => a.Name).ToHashSet(StringComparer.Ordinal), cancellationToken);
        directory.Publish(routes);
    }

    private async Task<Observation> ObserveAsync(CancellationToken cancellationToken)
    {
        var observation = new Observation();
        foreach (var driver in runtimes.Drivers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ListTimeout);
            try
            {
                observation.Add(driver, await driver.ListAsync(timeout.Token));
                if (!runtimes.IsAvailable(driver))
                {
                    LogRuntimeAvailable(driver.Name);
                }

                runtimes.MarkAvailable(driver);
            }
            catch (Exception ex) when (ex is RuntimeException or HttpRequestException or IOException ||
                                       (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var reason = ex is OperationCanceledException ? "it did not answer within 15s" : ex.Message;
                if (runtimes.IsAvailable(driver))
                {
                    LogRuntimeUnavailable(driver.Name, reason);
                }

                runtimes.MarkUnavailable(driver, reason);
            }
        }

        return observation;
    }

    private async Task RemoveOrphansAsync(Observation observation, HashSet<string> known, CancellationToken cancellationToken)
    {
        foreach (var driver in runtimes.Drivers.Where(observation.Answered))
        {
            var orphans = observation.From(driver).Where(i => !known.Contains(i.AgentName)).ToList();
            foreach (var orphan in orphans)
            {
                await driver.RemoveAsync(orphan.InstanceId, cancellationToken);
                await identities.RevokeInstanceAsync(orphan.AgentName, orphan.InstanceId, "orphaned instance removed", cancellationToken);
                _trackers.TryRemove(orphan.InstanceId, out _);
                LogOrphanRemoved(orphan.InstanceId, orphan.AgentName);
            }

            foreach (var agentName in orphans.Select(o => o.AgentName).Distinct())
            {
                await driver.RemoveAgentResourcesAsync(agentName, cancellationToken);
            }
        }
    }

    private async Task EmitAsync(string agentName, string? instanceId, string reason, string message, bool warning, CancellationToken cancellationToken)
    {
        message = redactor.Redact(message);
        LogAgentEvent(agentName, reason, instanceId, message);
        await events.AppendAsync(
            new AgentEvent
            {
                Time = time.GetUtcNow(),
                AgentName = agentName,
                InstanceId = instanceId,
                Reason = reason,
                Message = message,
                Warning = warning,
            },
            cancellationToken);
    }

    private InstanceTracker Tracker(string instanceId) => _trackers.GetOrAdd(instanceId, _ => new InstanceTracker());

    private sealed record Preparation(long Generation, Task Work);

    /// <summary>What one pass saw at its start: runtime state, stored instances by agent, and desired agents by name.</summary>
    private sealed record Pass(Observation Observation, ILookup<string, InstanceRecord> Stored, IReadOnlyDictionary<string, AgentRecord> Agents);
}
