using System.Collections.Concurrent;
using System.Globalization;
using Berth.Core.Agents;
using Berth.Core.Plugins;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Plugins.Pools;

/// <summary>
/// Hands out slots on plugin pools' healthy instances, at most <c>pool.concurrency</c> calls an instance, and sizes each pool
/// by <see cref="PluginPoolSizing"/>: a call that finds every slot busy grows the pool (up to <c>pool.maxInstances</c>) and
/// waits until an instance frees up or a new one turns healthy; a pool with no call for <c>pool.idleTimeout</c> goes back to
/// <c>pool.minWarm</c>. Each change of size is an event of the pool agent (<c>Scaled</c>). Waiters wake on the directory's
/// publishes and on released slots, never by polling.
/// </summary>
internal sealed partial class PluginPoolLeases : IDisposable
{
    private readonly ConcurrentDictionary<string, PluginPoolState> _pools = new(StringComparer.Ordinal);
    private readonly PluginPools _poolAgents;
    private readonly InstanceDirectory _directory;
    private readonly IInstanceStore _instances;
    private readonly InstanceRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ILogger<PluginPoolLeases> _logger;

    public PluginPoolLeases(
        PluginPools poolAgents, InstanceDirectory directory, IInstanceStore instances, InstanceRecorder recorder, TimeProvider time, ILogger<PluginPoolLeases> logger)
    {
        (_poolAgents, _directory, _instances, _recorder, _time, _logger) = (poolAgents, directory, instances, recorder, time, logger);
        _directory.Published += WakeAll;
        _poolAgents.Removed += Close;
        _poolAgents.Ensured += Open;
    }

    /// <summary>
    /// Waits for a slot on a healthy instance of <paramref name="plugin"/>'s pool, one other than <paramref name="avoid"/> when
    /// another is free; null when the version was removed meanwhile. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public async Task<PluginLease?> AcquireAsync(PluginRecord plugin, Uri? avoid, CancellationToken cancellationToken)
    {
        var pool = _pools.GetOrAdd(PluginPools.AgentOf(plugin), static (agent, plugin) => new PluginPoolState(agent, plugin), plugin);
        var spec = plugin.Spec.Pool;
        var waiting = false;
        try
        {
            while (true)
            {
                Task changed;
                Uri? endpoint;
                AgentRoute? route;
                (int From, int To, int Demand)? scaled = null;
                lock (pool.Gate)
                {
                    if (pool.Closed)
                    {
                        return null;
                    }

                    pool.Plugin = plugin;
                    route = _poolAgents.Route(plugin);
                    endpoint = pool.TryTake(route?.Healthy ?? [], spec.Concurrency, avoid);
                    if (endpoint is null)
                    {
                        if (!waiting)
                        {
                            (waiting, pool.Waiting) = (true, pool.Waiting + 1);
                        }

                        changed = pool.Changed;
                        var current = _poolAgents.ReplicasOf(plugin);
                        var demand = pool.InFlight + pool.Waiting;
                        var wanted = PluginPoolSizing.ForDemand(spec, current, demand);
                        if (wanted > current)
                        {
                            _poolAgents.Scale(plugin, wanted);
                            scaled = (current, wanted, demand);
                        }
                    }
                    else
                    {
                        if (waiting)
                        {
                            (waiting, pool.Waiting) = (false, pool.Waiting - 1);
                        }

                        changed = Task.CompletedTask;
                    }
                }

                if (endpoint is not null)
                {
                    var inFlight = route!.Enter(endpoint);
                    var instanceId = await InstanceIdAsync(pool, route, endpoint, cancellationToken).ConfigureAwait(false);
                    return new PluginLease(this, pool, endpoint, instanceId, inFlight);
                }

                if (scaled is { } change)
                {
                    await NoteAsync(pool.Agent, change.From, change.To, string.Create(CultureInfo.InvariantCulture,
                        $"{change.Demand} call(s) in flight or waiting, {spec.Concurrency} per instance (pool.maxInstances {spec.MaxInstances})")).ConfigureAwait(false);
                }

                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (waiting)
            {
                lock (pool.Gate)
                {
                    pool.Waiting--;
                    WhenIdle(pool);
                }
            }
        }
    }

    /// <summary>Calls holding a slot on the pool agent's instances and calls waiting for one; zeros for a pool not called yet.</summary>
    public (int InFlight, int Waiting) LoadOf(string poolAgent)
    {
        if (!_pools.TryGetValue(poolAgent, out var pool))
        {
            return (0, 0);
        }

        lock (pool.Gate)
        {
            return (pool.InFlight, pool.Waiting);
        }
    }

    /// <summary>Gives a lease's slot back; called by <see cref="PluginLease.Dispose"/>.</summary>
    public void Release(PluginPoolState pool, Uri endpoint)
    {
        lock (pool.Gate)
        {
            pool.Release(endpoint);
            if (pool.Waiting > 0)
            {
                pool.Pulse();
            }

            WhenIdle(pool);
        }
    }

    public void Dispose()
    {
        _directory.Published -= WakeAll;
        _poolAgents.Removed -= Close;
        _poolAgents.Ensured -= Open;
        foreach (var pool in _pools.Values)
        {
            lock (pool.Gate)
            {
                pool.IdleTimer?.Dispose();
            }
        }
    }

    // Under the pool's gate: once nothing is in flight or waiting, the idle clock starts.
    private void WhenIdle(PluginPoolState pool)
    {
        if (pool.InFlight > 0 || pool.Waiting > 0 || pool.Closed)
        {
            return;
        }

        pool.IdleSince = _time.GetUtcNow();
        pool.IdleTimer ??= _time.CreateTimer(
            static state =>
            {
                var (self, idle) = ((PluginPoolLeases, PluginPoolState))state!;
                self.OnIdle(idle);
            },
            (this, pool), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        pool.IdleTimer.Change(pool.Plugin.Spec.Pool.IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    private void OnIdle(PluginPoolState pool)
    {
        int current, wanted;
        lock (pool.Gate)
        {
            var spec = pool.Plugin.Spec.Pool;
            if (pool.InFlight > 0 || pool.Waiting > 0 || pool.Closed)
            {
                return;
            }

            current = _poolAgents.ReplicasOf(pool.Plugin);
            var idleFor = _time.GetUtcNow() - pool.IdleSince;
            wanted = PluginPoolSizing.WhenIdle(spec, current, idleFor);
            if (wanted >= current)
            {
                // A timer may fire a little before the clock agrees; look again when it will.
                if (idleFor < spec.IdleTimeout && current > spec.MinWarm)
                {
                    pool.IdleTimer!.Change(spec.IdleTimeout - idleFor + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
                }

                return;
            }

            _poolAgents.Scale(pool.Plugin, wanted);
        }

        _ = NoteAsync(pool.Agent, current, wanted, $"no call for {Core.Specs.Duration.Format(pool.Plugin.Spec.Pool.IdleTimeout)} (pool.idleTimeout); pool.minWarm is {wanted}");
    }

    private void WakeAll()
    {
        foreach (var pool in _pools.Values)
        {
            lock (pool.Gate)
            {
                if (pool.Waiting > 0)
                {
                    pool.Pulse();
                }
            }
        }
    }

    private void Close(string agent) => SetClosed(agent, closed: true);

    private void Open(string agent) => SetClosed(agent, closed: false);

    private void SetClosed(string agent, bool closed)
    {
        if (_pools.TryGetValue(agent, out var pool))
        {
            lock (pool.Gate)
            {
                pool.Closed = closed;
                pool.Pulse();
                if (closed)
                {
                    pool.IdleTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    /// <summary>The id of the instance at <paramref name="endpoint"/>, read from the store once each time the pool's healthy instances change.</summary>
    private async Task<string?> InstanceIdAsync(PluginPoolState pool, AgentRoute route, Uri endpoint, CancellationToken cancellationToken)
    {
        lock (pool.Gate)
        {
            if (pool.InstancesOf.SequenceEqual(route.Healthy))
            {
                return pool.InstanceIds.GetValueOrDefault(endpoint);
            }
        }

        IReadOnlyList<InstanceRecord> records;
        try
        {
            records = await _instances.ListAsync(pool.Agent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogInstancesUnread(pool.Agent, ex.Message);
            return null;
        }

        lock (pool.Gate)
        {
            pool.InstanceIds.Clear();
            foreach (var record in records.Where(r => r.Endpoint is not null && r.State == InstanceState.Running))
            {
                pool.InstanceIds[record.Endpoint!] = record.InstanceId;
            }

            pool.InstancesOf = route.Healthy;
            return pool.InstanceIds.GetValueOrDefault(endpoint);
        }
    }

    private async Task NoteAsync(string agent, int from, int to, string why)
    {
        try
        {
            await _recorder.EmitAsync(agent, null, "Scaled", $"scaled from {from} to {to} instance(s): {why}", warning: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogEventUnwritten(agent, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin pool {AgentName}: instances not read ({Reason}); its calls are recorded without an instance id")]
    private partial void LogInstancesUnread(string agentName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin pool {AgentName}: scaling event not stored ({Reason})")]
    private partial void LogEventUnwritten(string agentName, string reason);
}
