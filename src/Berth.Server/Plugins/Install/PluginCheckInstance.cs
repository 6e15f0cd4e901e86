using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Plugins;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Mcp.Resources;
using Berth.Server.Reconciliation;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// The one instance a contract check talks to: a temporary pool agent (<c>plugin-check.ID.VERSION</c>) that the reconciler
/// starts, probes and, once the check marks it removed, stops and forgets, as it does any agent. Restarts are off, so an
/// instance that exits or turns unhealthy fails the check at once instead of being retried until the bound.
/// A server that dies mid-check leaves the agent stored; <see cref="PluginCheckSweeper"/> marks it removed at the next start.
/// </summary>
internal sealed class PluginCheckInstance(
    IAgentStore agents, IInstanceStore instances, InstanceDirectory directory, ReconcileSignal reconcile, AgentLogText logs,
    IOptions<PluginOptions> options, TimeProvider time)
{
    /// <summary>Every check agent's name starts with this; no applied agent (a DNS label) or plugin pool (<c>plugin.</c>) can.</summary>
    public const string Prefix = "plugin-check.";

    private const int LogLines = 20;
    private static readonly TimeSpan RemovalBound = TimeSpan.FromSeconds(30);

    /// <summary>The check agent of <paramref name="spec"/>: one per id and version, so checks do not use up agents' uids.</summary>
    public static string NameOf(PluginSpec spec) => Prefix + PluginPoolNames.For(spec.Name, spec.Version)[PluginPoolNames.Prefix.Length..];

    /// <summary>Creates the check agent for the plugin unpacked in <paramref name="folder"/> and wakes the reconciler.</summary>
    public async Task StartAsync(PluginSpec spec, string folder, CancellationToken cancellationToken)
    {
        var record = new PluginRecord
        {
            Id = spec.Name, Version = spec.Version, Spec = spec, Directory = folder, Digest = "", Source = "check", InstalledAt = time.GetUtcNow(), InstalledBy = "check",
        };
        var agent = PluginAgentSpecs.For(record, replicas: 1) with { Name = NameOf(spec), Restart = new RestartSpec { Policy = RestartPolicy.Never } };
        await agents.ApplyPoolAsync(agent, $"{record.Reference} (check)", cancellationToken);
        reconcile.Poke();
    }

    /// <summary>Waits until the instance is healthy (its endpoint), or says which check failed and why.</summary>
    public async Task<(Uri? Endpoint, PluginCheck? Failure)> WaitHealthyAsync(PluginSpec spec, CancellationToken cancellationToken)
    {
        var name = NameOf(spec);
        var bound = options.Value.CheckTimeout;
        var deadline = time.GetUtcNow() + bound;
        string? last = null;
        while (true)
        {
            if (directory.Find(name) is { Healthy.Count: > 0 } route)
            {
                return (route.Healthy[0], null);
            }

            var current = await instances.ListAsync(name, cancellationToken);
            last = current.Select(i => i.Message).LastOrDefault(m => !string.IsNullOrEmpty(m)) ?? last;
            if (current.FirstOrDefault(i => i.State is InstanceState.Unhealthy or InstanceState.Exited or InstanceState.Failed) is { } broken)
            {
                var what = broken.State == InstanceState.Unhealthy
                    ? $"the instance started but its health probe failed: {broken.Message ?? "no answer"}"
                    : $"the instance {(broken.State == InstanceState.Exited ? "exited" : "failed")} before it was healthy{(broken.ExitCode is { } code ? $" (exit code {code})" : "")}: {broken.Message ?? "no message"}";
                return (null, Fail(broken.State == InstanceState.Unhealthy ? "health" : "start", what + await LogTailAsync(name, cancellationToken)));
            }

            if (time.GetUtcNow() >= deadline)
            {
                return (null, Fail("health", $"not healthy within {Duration.Format(bound)} (Berth:Plugins:CheckTimeout); last probe: {last ?? "none yet"}" + await LogTailAsync(name, cancellationToken)));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    /// <summary>
    /// Marks the check agent removed and waits (at most 30s) until the reconciler has stopped its instance and forgotten it,
    /// so nothing of the check runs once its answer is given. Never throws.
    /// </summary>
    public async Task RemoveAsync(PluginSpec spec)
    {
        var name = NameOf(spec);
        using var bound = new CancellationTokenSource(RemovalBound, time);
        try
        {
            await agents.SetDesiredStateAsync(name, DesiredState.Removed, bound.Token);
            reconcile.Poke();
            while (await agents.GetAsync(name, bound.Token) is not null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, bound.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Still stopping: the reconciler finishes the removal on its own.
        }
    }

    private async Task<string> LogTailAsync(string name, CancellationToken cancellationToken)
    {
        if (await agents.GetAsync(name, cancellationToken) is not { } agent)
        {
            return "";
        }

        var lines = (await logs.ReadAsync(agent, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "; it wrote no log lines" : $"; its last log lines:\n{string.Join('\n', lines.TakeLast(LogLines))}";
    }

    private static PluginCheck Fail(string name, string message) => new() { Name = name, Passed = false, Message = message };
}
