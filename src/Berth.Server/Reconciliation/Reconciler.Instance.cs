using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Server.Reconciliation;

internal sealed partial class Reconciler
{
    /// <summary>While an instance is starting it is probed at least this often, so a fresh agent turns healthy quickly.</summary>
    private static readonly TimeSpan StartingProbeInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a pass waits for a quick preparation (an image check) before moving on and looking again next pass.</summary>
    private static readonly TimeSpan PrepareGrace = TimeSpan.FromSeconds(2);

    /// <summary>Moves one wanted instance one step along its lifecycle.</summary>
    private async Task<InstanceRecord> StepInstanceAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, RuntimeInstance? observed, Pass pass, CancellationToken cancellationToken)
    {
        if (observed?.Status == RuntimeStatus.Running)
        {
            return await ProbeAsync(agent, driver, record, observed, cancellationToken);
        }

        switch (record.State)
        {
            case InstanceState.Pending or InstanceState.Stopped:
                return await StartAsync(agent, driver, record, pass, restart: false, cancellationToken);
            case InstanceState.Starting or InstanceState.Running or InstanceState.Unhealthy:
                return await OnExitAsync(agent, record, observed, cancellationToken);
            case InstanceState.Restarting when record.NextRestartAt is null || time.GetUtcNow() >= record.NextRestartAt:
                return await StartAsync(agent, driver, record, pass, restart: true, cancellationToken);
            default:
                return record;
        }
    }

    private async Task<InstanceRecord> StartAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, Pass pass, bool restart, CancellationToken cancellationToken)
    {
        if (WaitingFor(agent, pass) is { } waiting)
        {
            return await SaveAsync(record, record with { State = InstanceState.Pending, Message = waiting }, cancellationToken);
        }

        if (identities.WaitingForAddress)
        {
            return record;
        }

        var prepared = Prepare(agent, driver, cancellationToken);
        await Task.WhenAny(prepared, Task.Delay(PrepareGrace, time, cancellationToken));
        if (!prepared.IsCompleted)
        {
            return await SaveAsync(record, record with { State = InstanceState.Pending, Message = "preparing (building or checking the image)" }, cancellationToken);
        }

        try
        {
            await prepared;
            var launched = await driver.StartAsync(await LaunchAsync(agent, record, cancellationToken), cancellationToken);
            Tracker(record.InstanceId).ResetProbes();
            var started = record with
            {
                State = InstanceState.Starting,
                Endpoint = launched.Endpoint,
                StartedAt = launched.StartedAt ?? time.GetUtcNow(),
                RestartCount = restart ? record.RestartCount + 1 : record.RestartCount,
                NextRestartAt = null,
                ExitCode = null,
                Message = null,
            };
            await EmitAsync(agent.Name, record.InstanceId, restart ? "Restarted" : "Started",
                $"{driver.Name} instance started{(restart ? $" (restart {started.RestartCount})" : string.Empty)}", false, cancellationToken);
            return await SaveAsync(record, started, cancellationToken);
        }
        catch (RuntimeException ex) when (ex.Kind == RuntimeErrorKind.Config)
        {
            // A config error does not heal by itself; once it is fixed a new generation retries.
            var message = $"{ex.Message} (once fixed, run 'berth restart {agent.Name}' or apply a changed spec)";
            await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, "start failed", cancellationToken);
            await EmitAsync(agent.Name, record.InstanceId, "Failed", message, true, cancellationToken);
            return await SaveAsync(record, record with { State = InstanceState.Failed, Endpoint = null, Message = message }, cancellationToken);
        }
        catch (Exception ex) when (ex is RuntimeException or IOException or HttpRequestException)
        {
            _preparations.TryRemove(agent.Name, out _);
            await identities.RevokeInstanceAsync(record.AgentName, record.InstanceId, "start failed", cancellationToken);
            return await ScheduleRestartAsync(agent, record, $"could not start: {ex.Message}", cancellationToken);
        }
    }

    private async Task<InstanceRecord> OnExitAsync(AgentRecord agent, InstanceRecord record, RuntimeInstance? observed, CancellationToken cancellationToken)
    {
        var tracker = Tracker(record.InstanceId);
        var now = time.GetUtcNow();
        if (record.StartedAt is { } started && now - started >= RestartBackoff.ResetAfter)
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
        await EmitAsync(agent.Name, record.InstanceId, "Exited", $"{reason}; restart policy {policy.ToString().ToLowerInvariant()} keeps it {final.ToString().ToLowerInvariant()}", final == InstanceState.Failed, cancellationToken);
        return await SaveAsync(record, exited with { State = final, Message = reason }, cancellationToken);
    }

    private async Task<InstanceRecord> ScheduleRestartAsync(
        AgentRecord agent, InstanceRecord record, string reason, CancellationToken cancellationToken, string eventReason = "Exited")
    {
        var tracker = Tracker(record.InstanceId);
        tracker.CrashStreak++;
        var delay = RestartBackoff.Delay(tracker.CrashStreak, agent.Spec.Restart.MaxBackoff);
        await EmitAsync(agent.Name, record.InstanceId, eventReason, $"{reason}; restarting in {Duration.Format(delay)}", true, cancellationToken);
        var restarting = record with
        {
            State = InstanceState.Restarting,
            Endpoint = null,
            NextRestartAt = time.GetUtcNow() + delay,
            Message = reason,
        };
        return await SaveAsync(record, restarting, cancellationToken);
    }

    private async Task<InstanceRecord> ProbeAsync(
        AgentRecord agent, IAgentRuntime driver, InstanceRecord record, RuntimeInstance observed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var running = record.State is InstanceState.Starting or InstanceState.Running or InstanceState.Unhealthy
            ? record with { Endpoint = observed.Endpoint ?? record.Endpoint }
            : record with { State = InstanceState.Starting, Endpoint = observed.Endpoint, StartedAt = observed.StartedAt ?? now, NextRestartAt = null };
        var tracker = Tracker(record.InstanceId);
        var health = agent.Spec.Health;
        var interval = running.State == InstanceState.Starting && health.Interval > StartingProbeInterval ? StartingProbeInterval : health.Interval;
        if (running.Endpoint is null || (tracker.LastProbeAt is { } last && now - last < interval))
        {
            return await SaveAsync(record, running, cancellationToken);
        }

        var result = await probe.ProbeAsync(running.Endpoint, health, agent.Spec.Protocol, cancellationToken);
        tracker.LastProbeAt = now;
        if (result.Healthy)
        {
            tracker.ConsecutiveFailures = 0;
            if (running.State != InstanceState.Running)
            {
                await EmitAsync(agent.Name, record.InstanceId, "Healthy", result.Detail, false, cancellationToken);
            }

            return await SaveAsync(record, running with { State = InstanceState.Running, Message = null }, cancellationToken);
        }

        var inStartPeriod = running.StartedAt is { } started && now < started + health.StartPeriod;
        if (!inStartPeriod)
        {
            tracker.ConsecutiveFailures++;
        }

        if (tracker.ConsecutiveFailures >= health.Retries && running.State != InstanceState.Unhealthy)
        {
            await EmitAsync(agent.Name, record.InstanceId, "Unhealthy", $"{tracker.ConsecutiveFailures} failed probes: {result.Detail}", true, cancellationToken);
            return await SaveAsync(record, running with { State = InstanceState.Unhealthy, Message = result.Detail }, cancellationToken);
        }

        if (running.State == InstanceState.Unhealthy && tracker.ConsecutiveFailures >= 2 * health.Retries && agent.Spec.Restart.Policy != RestartPolicy.Never)
        {
            // Still failing after another `retries` probes out of rotation: a wedged process rarely heals by itself.
            var failures = tracker.ConsecutiveFailures;
            await driver.StopAsync(record.InstanceId, options.Value.Reconciler.StopGrace, cancellationToken);
            return await ScheduleRestartAsync(
                agent, running with { Endpoint = null }, $"unhealthy for {failures} probes in a row ({result.Detail}); stopped", cancellationToken, "Unresponsive");
        }

        return await SaveAsync(record, running with { Message = result.Detail }, cancellationToken);
    }

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

    /// <summary>Why the agent may not start yet (a dependency not defined or not healthy), or null when it may.</summary>
    private static string? WaitingFor(AgentRecord agent, Pass pass)
    {
        foreach (var dependency in agent.Spec.DependsOn)
        {
            if (!pass.Agents.ContainsKey(dependency))
            {
                return $"waiting for agent '{dependency}', which is not defined; apply it";
            }

            if (!pass.Stored[dependency].Any(i => i.State == InstanceState.Running))
            {
                return $"waiting for agent '{dependency}' to be healthy";
            }
        }

        return null;
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
}
