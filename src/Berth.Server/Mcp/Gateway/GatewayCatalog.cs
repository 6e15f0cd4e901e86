using System.Collections.Frozen;
using Berth.Server.Reconciliation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// The MCP agents the gateway serves and their tools. It follows the proxy's routes (<see cref="InstanceDirectory"/>): an agent
/// with <c>mcp.path</c> and a healthy instance is read (<c>tools/list</c>) when it appears or its instances change, and again
/// when it says its tools changed; a read that failed is tried again on the next pass. Sessions of instances that went are
/// closed. Whenever the tools the gateway shows change, <see cref="GatewaySessions"/> tells every gateway session.
/// </summary>
internal sealed class GatewayCatalog(
    InstanceDirectory directory, GatewayClients clients, GatewayToolReader reader, GatewaySessions sessions, TimeProvider time, ILogger<GatewayCatalog> logger)
    : IHostedService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private FrozenDictionary<string, GatewayAgent> _agents = FrozenDictionary<string, GatewayAgent>.Empty;
    private FrozenDictionary<string, GatewayTool> _index = FrozenDictionary<string, GatewayTool>.Empty;
    private string _fingerprint = "";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        directory.Published += Follow;
        clients.ToolsChanged += Reread;
        Follow();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        directory.Published -= Follow;
        clients.ToolsChanged -= Reread;
        return Task.CompletedTask;
    }

    /// <summary>Every tool of every MCP agent, waiting for reads in progress (each is bounded).</summary>
    public async Task<IReadOnlyList<GatewayTool>> ToolsAsync(CancellationToken cancellationToken)
    {
        var agents = Volatile.Read(ref _agents);
        var tools = new List<GatewayTool>();
        foreach (var agent in agents.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            tools.AddRange((await agent.Tools.WaitAsync(cancellationToken)).Tools);
        }

        return tools;
    }

    /// <summary>The tool the gateway shows as <paramref name="name"/>, or null.</summary>
    public async Task<GatewayTool?> FindAsync(string name, CancellationToken cancellationToken) =>
        Volatile.Read(ref _index).GetValueOrDefault(name) ?? (await ToolsAsync(cancellationToken)).FirstOrDefault(t => t.Name == name);

    // Runs after every reconciler publish (about once a second, and on each agent's change): cheap when nothing changed. It
    // runs on the reconciler's thread, so a failure here is logged, never thrown into the reconciler.
    private void Follow()
    {
        try
        {
            FollowRoutes();
        }
        catch (Exception ex)
        {
            GatewayLog.CatalogFailed(logger, ex);
        }
    }

    private void FollowRoutes()
    {
        var changed = false;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var next = new Dictionary<string, GatewayAgent>(StringComparer.Ordinal);
            foreach (var route in directory.Routes)
            {
                if (route.McpPath is not { } path || route.Healthy.Count == 0)
                {
                    continue;
                }

                if (_agents.TryGetValue(route.AgentName, out var known) && known.Same(path, route.Protocol, route.Healthy) && !DueForRetry(known, now))
                {
                    next[route.AgentName] = known;
                    continue;
                }

                next[route.AgentName] = Read(new GatewayAgent(route.AgentName, path, route.Protocol, route.Healthy, Task.FromResult(Empty)));
                changed = true;
            }

            changed |= next.Count != _agents.Count;
            if (changed)
            {
                _agents = next.ToFrozenDictionary(StringComparer.Ordinal);
                clients.Retain(next.Values.SelectMany(a => a.Endpoints.Select(e => GatewayClients.Address(e, a.McpPath))).ToHashSet());
            }
        }

        if (changed)
        {
            Publish();
        }
    }

    private void Reread(string agentName)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(agentName, out var known))
            {
                return;
            }

            _agents = new Dictionary<string, GatewayAgent>(_agents, StringComparer.Ordinal) { [agentName] = Read(known) }
                .ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    private GatewayAgent Read(GatewayAgent agent)
    {
        var read = reader.ReadAsync(agent);
        _ = read.ContinueWith(_ => PublishLogged(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return agent with { Tools = read };
    }

    private static bool DueForRetry(GatewayAgent agent, DateTimeOffset now) =>
        agent.Tools is { IsCompletedSuccessfully: true, Result: { Failed: true } failed } && now - failed.ReadAt >= RetryAfter;

    private void PublishLogged()
    {
        try
        {
            Publish();
        }
        catch (Exception ex)
        {
            GatewayLog.CatalogFailed(logger, ex);
        }
    }

    // Once every read in progress has ended: rebuild the index, and tell the sessions when what they would list changed.
    private void Publish()
    {
        FrozenDictionary<string, GatewayTool> index;
        string fingerprint;
        lock (_gate)
        {
            if (_agents.Values.Any(a => !a.Tools.IsCompleted))
            {
                return;
            }

            var tools = _agents.Values.SelectMany(a => a.Tools.Result.Tools).ToList();
            index = tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
            fingerprint = Fingerprint(tools);
            _index = index;
            if (fingerprint == _fingerprint)
            {
                return;
            }

            _fingerprint = fingerprint;
        }

        sessions.NotifyToolsChanged();
    }

    private static string Fingerprint(IEnumerable<GatewayTool> tools) => string.Join('\n', tools
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => $"{t.Name}\t{t.Exposed.Title}\t{t.Exposed.Description}\t{t.Exposed.InputSchema.GetRawText()}\t{t.Exposed.OutputSchema?.GetRawText()}"));

    private static readonly GatewayAgentTools Empty = new([], Failed: false, DateTimeOffset.MinValue);
}
