using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Probes running instances when due (every second while starting, then on the instance's own phase of the interval, see
/// <see cref="ProbeSchedule"/>) and moves them between starting, running and unhealthy; a wedged one is stopped for a restart.
/// </summary>
internal sealed class InstanceProber(IHealthProbe probe, InstanceRecorder recorder, InstanceTrackers trackers, InstanceExits exits)
{
    /// <summary>While an instance is starting it is probed at least this often, so a fresh agent turns healthy quickly.</summary>
    private static readonly TimeSpan StartingProbeInterval = TimeSpan.FromSeconds(1);

    public async ValueTask<InstanceRecord> ProbeAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, RuntimeInstance observed, CancellationToken cancellationToken)
    {
        var now = recorder.Now;
        // Copies only on a change: this runs for every running instance on every pass.
        var running = record.State is InstanceState.Starting or InstanceState.Running or InstanceState.Unhealthy
            ? observed.Endpoint is null || observed.Endpoint == record.Endpoint ? record : record with { Endpoint = observed.Endpoint }
            : record with { State = InstanceState.Starting, Endpoint = observed.Endpoint, StartedAt = observed.StartedAt ?? now, NextRestartAt = null };
        var tracker = trackers.For(record.InstanceId);
        var health = agent.Spec.Health;
        var starting = running.State == InstanceState.Starting;
        var due = starting
            ? tracker.LastProbeAt is not { } last || now - last >= (health.Interval > StartingProbeInterval ? StartingProbeInterval : health.Interval)
            : ProbeSchedule.IsDue(record.InstanceId, health.Interval, tracker.LastProbeAt, now);
        if (running.Endpoint is null || !due)
        {
            return await recorder.SaveAsync(record, running, cancellationToken);
        }

        var result = await probe.ProbeAsync(running.Endpoint, health, agent.Spec.Protocol, cancellationToken);
        tracker.LastProbeAt = now;
        InstanceMetrics.RecordProbe(agent.Name, result.Healthy);
        if (result.Healthy)
        {
            tracker.ConsecutiveFailures = 0;
            if (running.State != InstanceState.Running)
            {
                await recorder.EmitAsync(agent.Name, record.InstanceId, "Healthy", result.Detail, false, cancellationToken);
            }

            var healthy = running is { State: InstanceState.Running, Message: null } ? running : running with { State = InstanceState.Running, Message = null };
            return await recorder.SaveAsync(record, healthy, cancellationToken);
        }

        var inStartPeriod = running.StartedAt is { } started && now < started + health.StartPeriod;
        if (!inStartPeriod)
        {
            tracker.ConsecutiveFailures++;
        }

        if (tracker.ConsecutiveFailures >= health.Retries && running.State != InstanceState.Unhealthy)
        {
            await recorder.EmitAsync(agent.Name, record.InstanceId, "Unhealthy", $"{tracker.ConsecutiveFailures} failed probes: {result.Detail}", true, cancellationToken);
            return await recorder.SaveAsync(record, running with { State = InstanceState.Unhealthy, Message = result.Detail }, cancellationToken);
        }

        if (running.State == InstanceState.Unhealthy && tracker.ConsecutiveFailures >= 2 * health.Retries && agent.Spec.Restart.Policy != RestartPolicy.Never)
        {
            // Still failing after another `retries` probes out of rotation: a wedged process rarely heals by itself.
            return await exits.StopAndRestartAsync(
                agent, driver, running, $"unhealthy for {tracker.ConsecutiveFailures} probes in a row ({result.Detail}); stopped", cancellationToken);
        }

        return await recorder.SaveAsync(record, running with { Message = result.Detail }, cancellationToken);
    }
}
