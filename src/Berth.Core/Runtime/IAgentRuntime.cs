using Berth.Core.Specs;

namespace Berth.Core.Runtime;

/// <summary>
/// Runs agent instances on one backend (a container engine or local processes). Every method is
/// idempotent where that makes sense, so the reconciler can retry after a crash without harm.
/// </summary>
public interface IAgentRuntime
{
    /// <summary>The driver's name as configured: <c>docker</c> or <c>process</c>.</summary>
    string Name { get; }

    /// <summary>Whether this driver can run agents of the given kind.</summary>
    bool Supports(AgentKind kind);

    /// <summary>
    /// Gets everything an agent needs before its first instance starts (an image built or present,
    /// its network, its executable found). Throws <see cref="RuntimeException"/> saying what to fix.
    /// </summary>
    Task PrepareAsync(AgentSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Starts one instance. When an exited instance with the same id exists it is started again in
    /// place (keeping its logs); a running one is left as it is. Returns the instance as observed.
    /// </summary>
    Task<RuntimeInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken);

    /// <summary>Asks the instance to stop, killing it (and its whole process tree) after <paramref name="gracePeriod"/>. No-op when gone.</summary>
    Task StopAsync(string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Kills if needed and deletes the instance and everything it left behind. No-op when gone.</summary>
    Task RemoveAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Every instance this driver manages for Berth, running or exited, including ones started before a server restart.</summary>
    Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Log lines of one instance, oldest first; with <see cref="LogQuery.Follow"/> the sequence stays open for new lines until cancelled or the instance is removed.</summary>
    IAsyncEnumerable<LogEntry> ReadLogsAsync(string instanceId, LogQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Samples the resource use of one running instance over a short window (CPU needs two readings). Returns null when the
    /// instance is not running or not known here. Values this driver cannot tell (network for process agents) are null.
    /// </summary>
    Task<InstanceStats?> GetStatsAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Deletes what the agent itself owned on this backend once its last instance is gone (for docker: its network). No-op when nothing is left.</summary>
    Task RemoveAgentResourcesAsync(string agentName, CancellationToken cancellationToken);
}
