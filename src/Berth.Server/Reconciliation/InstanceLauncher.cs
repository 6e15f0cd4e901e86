using System.Collections.Concurrent;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Server.Secrets;
using Berth.Server.Security;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Starts instances: waits for dependencies and the agent's preparation (an image built or checked once per generation),
/// resolves secrets into the launch, and records the start, or the failure and when to try again.
/// </summary>
internal sealed class InstanceLauncher(
    ISecretResolver secrets, AgentIdentities identities, InstanceRecorder recorder, InstanceTrackers trackers, InstanceExits exits, TimeProvider time)
{
    /// <summary>How long a pass waits for a quick preparation (an image check) before moving on and looking again next pass.</summary>
    private static readonly TimeSpan PrepareGrace = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Preparation> _preparations = new(StringComparer.Ordinal);

    public async Task<InstanceRecord> StartAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, DesiredAgents desired, bool restart, CancellationToken cancellationToken)
    {
        if (desired.WaitingFor(agent) is { } waiting)
        {
            return await recorder.SaveAsync(record, record with { State = InstanceState.Pending, Message = waiting }, cancellationToken);
        }

        if (identities.WaitingForAddress)
        {
            return record;
        }

        var prepared = Prepare(agent, driver, cancellationToken);
        await Task.WhenAny(prepared, Task.Delay(PrepareGrace, time, cancellationToken));
        if (!prepared.IsCompleted)
        {
            return await recorder.SaveAsync(record, record with { State = InstanceState.Pending, Message = "preparing (building or checking the image)" }, cancellationToken);
        }

        try
        {
            await prepared;
            var launched = await driver.StartAsync(await LaunchAsync(agent, record, cancellationToken), cancellationToken);
            trackers.For(record.InstanceId).ResetProbes();
            var started = record with
            {
                State = InstanceState.Starting,
                Endpoint = launched.Endpoint,
                StartedAt = launched.StartedAt ?? recorder.Now,
                RestartCount = restart ? record.RestartCount + 1 : record.RestartCount,
                NextRestartAt = null,
                ExitCode = null,
                Message = null,
            };
            if (restart)
            {
                InstanceMetrics.RecordRestart(agent.Name);
            }

            await recorder.EmitAsync(agent.Name, record.InstanceId, restart ? "Restarted" : "Started",
                $"{driver.Name} instance started{(restart ? $" (restart {started.RestartCount})" : string.Empty)}", false, cancellationToken);
            return await recorder.SaveAsync(record, started, cancellationToken);
        }
        catch (RuntimeException ex) when (ex.Kind == RuntimeErrorKind.Config)
        {
            // A config error does not heal by itself; once it is fixed a new generation retries.
            var message = $"{ex.Message} (once fixed, run 'berth restart {agent.Name}' or apply a changed spec)";
            await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, "start failed", cancellationToken);
            await recorder.EmitAsync(agent.Name, record.InstanceId, "Failed", message, true, cancellationToken);
            return await recorder.SaveAsync(record, record with { State = InstanceState.Failed, Endpoint = null, Message = message }, cancellationToken);
        }
        catch (Exception ex) when (ex is RuntimeException or IOException or HttpRequestException)
        {
            Forget(agent.Name);
            await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, "start failed", cancellationToken);
            return await exits.ScheduleRestartAsync(agent, record, $"could not start: {ex.Message}", cancellationToken);
        }
    }

    /// <summary>Drops the agent's preparation, so the next start prepares again.</summary>
    public void Forget(string agentName) => _preparations.TryRemove(agentName, out _);

    /// <summary>The driver's instructions; secret references in env and files are resolved here and the values go nowhere but the driver.</summary>
    private async Task<InstanceLaunch> LaunchAsync(AgentRecord agent, InstanceRecord record, CancellationToken cancellationToken)
    {
        var environment = await secrets.ResolveAsync(agent.Spec.Env, cancellationToken);
        environment["BERTH_AGENT"] = agent.Name;
        environment["BERTH_INSTANCE"] = record.InstanceId;
        await identities.AddToAsync(environment, agent, record.InstanceId, cancellationToken);
        return new InstanceLaunch
        {
            InstanceId = record.InstanceId,
            Spec = agent.Spec,
            Ordinal = record.Ordinal,
            Generation = record.Generation,
            Environment = environment,
            Files = await secrets.ResolveFilesAsync(agent.Spec.Files, cancellationToken),
        };
    }

    /// <summary>The agent's preparation for its current generation, started once and shared by its instances.</summary>
    private Task Prepare(AgentRecord agent, IAgentRuntime driver, CancellationToken cancellationToken)
    {
        var preparation = _preparations.AddOrUpdate(
            agent.Name,
            _ => new Preparation(agent.Generation, Task.Run(() => driver.PrepareAsync(agent.Spec, cancellationToken), cancellationToken)),
            (_, existing) => existing.Generation == agent.Generation
                ? existing
                : new Preparation(agent.Generation, Task.Run(() => driver.PrepareAsync(agent.Spec, cancellationToken), cancellationToken)));
        return preparation.Work;
    }

    private sealed record Preparation(long Generation, Task Work);
}
