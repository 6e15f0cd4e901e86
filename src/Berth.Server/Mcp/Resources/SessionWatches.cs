using System.Collections.Concurrent;
using Berth.Server.Agents;
using Berth.Server.Workflows;
using Berth.Server.Workflows.Engine;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// The <see cref="ResourceWatch"/> of each session of clients that initialized (protocol 2025-06-18 and 2025-11-25), which
/// subscribe with <c>resources/subscribe</c> and are told on their session's stream. A watch lives exactly as long as its
/// session: <see cref="RunSessionAsync"/> wraps the SDK's run of the session and disposes the watch when it ends (the client
/// deleted it, or it idled out), so nothing a client subscribed to outlives it.
/// </summary>
internal sealed class SessionWatches(AgentChanges agents, WorkflowChanges workflows, RunEventHub runs)
{
    private readonly ConcurrentDictionary<string, ResourceWatch> _watches = new(StringComparer.Ordinal);

    /// <summary>Sessions watched now (for tests and diagnostics).</summary>
    public int Count => _watches.Count;

    public ResourceWatch? Find(string? sessionId) => sessionId is not null && _watches.TryGetValue(sessionId, out var watch) ? watch : null;

    /// <summary>Runs <paramref name="run"/> (the session) with a watch for it; stateless requests (no session id) run as they are.</summary>
    public async Task RunSessionAsync(McpServer server, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        if (server.SessionId is not { } id)
        {
            await run(cancellationToken);
            return;
        }

        using var watch = new ResourceWatch(agents, workflows, runs, notifyListChanged: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _watches[id] = watch;
        var sending = watch.RunAsync(
            (uri, ct) => server.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification, new ResourceUpdatedNotificationParams { Uri = uri }, cancellationToken: ct),
            (method, ct) => server.SendNotificationAsync(method, ct),
            stop.Token);
        try
        {
            await run(cancellationToken);
        }
        finally
        {
            _watches.TryRemove(new KeyValuePair<string, ResourceWatch>(id, watch));
            await stop.CancelAsync();
            await sending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
