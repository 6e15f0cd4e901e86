using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Server.Hosting;
using Berth.Server.Security;
using Microsoft.Extensions.Options;

namespace Berth.Server.Reconciliation;

/// <summary>What happens when an instance stops running: a restart after a backoff, or a final state, as the restart policy says.</summary>
internal sealed class InstanceExits(
    InstanceRecorder recorder, InstanceTrackers trackers, AgentIdentities identities, IOptions<BerthOptions> options)
{
    /// <summary>The instance exited (or vanished) while it should run.</summary>
    public async Task<InstanceRecord> OnExitAsync(AgentRecord agent, InstanceRecord record, RuntimeInstance? observed, CancellationToken cancellationToken)
    {
        var tracker = trackers.For(record.InstanceId);
        if (record.StartedAt is { } started && recorder.Now - started >= RestartBackoff.ResetAfter)
        {
            tracker.CrashStreak = 0;
        }

        var exitCode = observed?.ExitCode;
        var reason = observed is null ? "instance disappeared"
            : observed.OomKilled ? $"killed for exceeding its memory limit (exit code {exitCode})"
            : $"exited with code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}";
        var exited = record with { ExitCode = exitCode, Endpoint = null };
        var policy = agent.Spec.Restart.Policy;
        if (policy == RestartPolicy.Always || (policy == RestartPolicy.OnFailure && exitCode != 0))
        {
            return await ScheduleRestartAsync(agent, exited, reason, cancellationToken);
        }

        var final = exitCode == 0 ? InstanceState.Exited : InstanceState.Failed;
        // An instance that will not run again has no use for its identity; a leaked copy of the token dies with it.
        await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, $"instance {final.ToString().ToLowerInvariant()}", cancellationToken);
        await recorder.EmitAsync(agent.Name, record.InstanceId, "Exited", $"{reason}; restart policy {policy.ToString().ToLowerInvariant()} keeps it {final.ToString().ToLowerInvariant()}", final == InstanceState.Failed, cancellationToken);
        return await recorder.SaveAsync(record, exited with { State = final, Message = reason }, cancellationToken);
    }

    /// <summary>Marks the instance restarting after the next backoff delay of its crash streak.</summary>
    public async Task<InstanceRecord> ScheduleRestartAsync(
        AgentRecord agent, InstanceRecord record, string reason, CancellationToken cancellationToken, string eventReason = "Exited")
    {
        var tracker = trackers.For(record.InstanceId);
        tracker.CrashStreak++;
        var delay = RestartBackoff.Delay(tracker.CrashStreak, agent.Spec.Restart.MaxBackoff);
        await recorder.EmitAsync(agent.Name, record.InstanceId, eventReason, $"{reason}; restarting in {Duration.Format(delay)}", true, cancellationToken);
        var restarting = record with
        {
            State = InstanceState.Restarting,
            Endpoint = null,
            NextRestartAt = recorder.Now + delay,
            Message = reason,
        };
        return await recorder.SaveAsync(record, restarting, cancellationToken);
    }

    /// <summary>Stops a wedged instance (one that stays unhealthy) and schedules its restart.</summary>
    public async Task<InstanceRecord> StopAndRestartAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, string reason, CancellationToken cancellationToken)
    {
        await driver.StopAsync(record.InstanceId, options.Value.Reconciler.StopGrace, cancellationToken);
        return await ScheduleRestartAsync(agent, record with { Endpoint = null }, reason, cancellationToken, "Unresponsive");
    }

    /// <summary>Stops an instance that should not run (the agent is stopped, or scaled to zero).</summary>
    public async Task<InstanceRecord> StopAsync(
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
        await recorder.EmitAsync(agent.Name, record.InstanceId, "Stopped", "stopped on request", false, cancellationToken);
        return await recorder.SaveAsync(record, record with { State = InstanceState.Stopped, Endpoint = null, NextRestartAt = null, Message = null }, cancellationToken);
    }
}
