using System.Collections.Concurrent;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Berth.Server.Reconciliation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Requests;

/// <summary>
/// Delivers queued requests: those accepted while their agent was not healthy, those waiting for a retry, and those whose
/// lease ran out (a server that died mid-delivery). Each agent's queue goes in arrival order, a bounded number at a time,
/// as soon as the agent has a healthy instance. Also applies each agent's retention to completed requests.
/// </summary>
internal sealed partial class RequestDispatcher(
    IRequestStore store,
    IAgentStore agents,
    InstanceDirectory directory,
    RequestJournal journal,
    RequestCompletions completions,
    AttemptSender sender,
    ServerId server,
    IOptions<BerthOptions> options,
    TimeProvider time,
    ILogger<RequestDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _backlog = new(StringComparer.Ordinal);
    private DateTimeOffset _nextRetention;

    private BerthOptions.RequestSettings Settings => options.Value.Requests;

    /// <summary>True while the agent has queued requests, so new ones queue behind them instead of overtaking.</summary>
    public bool HasBacklog(string agentName) => _backlog.ContainsKey(agentName);

    /// <summary>Something was queued for <paramref name="agentName"/>: look now rather than at the next poll.</summary>
    public void Queued(string agentName)
    {
        _backlog[agentName] = true;
        Wake();
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leases this server held when it stopped belong to nobody now: those requests go back to the queue.
        var released = await store.ReleaseLeasesAsync(server.Value, stoppingToken);
        if (released > 0)
        {
            LogReleased(released);
        }

        directory.Published += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await DispatchDueAsync(stoppingToken);
                    await ApplyRetentionAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPassFailed(ex);
                }

                try
                {
                    await _wake.WaitAsync(IdlePoll, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            directory.Published -= Wake;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        // Live deliveries (dispatched, lease running) are not a backlog: counting them would send every new request to the queue.
        var pending = await store.PendingAgentsAsync(time.GetUtcNow(), cancellationToken);
        foreach (var agent in _backlog.Keys.Where(a => !pending.ContainsKey(a)))
        {
            _backlog.TryRemove(agent, out _);
        }

        var now = time.GetUtcNow();
        foreach (var (agentName, dueAt) in pending)
        {
            _backlog[agentName] = true;
            var route = directory.Find(agentName);
            if (route is null)
            {
                await DropIfRemovedAsync(agentName, cancellationToken);
                continue;
            }

            var room = Settings.ReplayConcurrency - _inFlight.GetValueOrDefault(agentName);
            if (dueAt > now || route.Healthy.Count == 0 || room <= 0)
            {
                continue;
            }

            var claimed = await store.ClaimDueAsync(agentName, now, server.Value, RequestOutcomes.LeaseEnd(now, route.Persistence), room, cancellationToken);
            foreach (var request in claimed)
            {
                _inFlight.AddOrUpdate(agentName, 1, (_, n) => n + 1);
                _ = DeliverAsync(route, request, cancellationToken);
            }
        }
    }

    private async Task DeliverAsync(AgentRoute route, ProxiedRequest request, CancellationToken cancellationToken)
    {
        using var activity = ReplayTracing.Start(request);
        try
        {
            var finished = await AttemptAsync(route, request, cancellationToken);
            activity?.SetTag("berth.request.state", Observability.MetricText.Of(finished.State));
            await journal.SaveAsync(finished, cancellationToken);
            if (finished.State is RequestState.Completed or RequestState.DeadLettered)
            {
                await completions.AnnounceAsync(finished, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The lease runs out and the request is claimed again; nothing is lost.
            LogDeliveryFailed(ex, request.Id, route.AgentName);
        }
        finally
        {
            _inFlight.AddOrUpdate(route.AgentName, 0, (_, n) => Math.Max(0, n - 1));
            Wake();
        }
    }

    private async Task<ProxiedRequest> AttemptAsync(AgentRoute route, ProxiedRequest request, CancellationToken cancellationToken)
    {
        if (route.Next() is not { } endpoint)
        {
            return RequestOutcomes.Unclaimed(request, time.GetUtcNow());
        }

        using var inFlight = route.Enter(endpoint);
        RequestMetrics.RecordReplay(route.AgentName);
        var outcome = await sender.SendAsync(request, endpoint, route.Protocol, route.Persistence.RequestTimeout, cancellationToken);
        if (outcome.Response is not { } response)
        {
            LogAttemptFailed(request.Id, route.AgentName, request.Attempts, outcome.Error);
            return RequestOutcomes.Failed(request, outcome, route.Persistence, time.GetUtcNow());
        }

        using (response)
        {
            var stored = await ResponseCapture.ReadAsync(response, Settings.MaxStoredResponseBytes, cancellationToken);
            return RequestOutcomes.Completed(request, stored, time.GetUtcNow());
        }
    }

    private async Task DropIfRemovedAsync(string agentName, CancellationToken cancellationToken)
    {
        if (await agents.GetAsync(agentName, cancellationToken) is null)
        {
            var dropped = await store.PurgeAsync(agentName, null, null, cancellationToken);
            LogDroppedForRemovedAgent(dropped, agentName);
            _backlog.TryRemove(agentName, out _);
        }
    }

    private async Task ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextRetention)
        {
            return;
        }

        _nextRetention = now + RetentionInterval;
        foreach (var agent in await agents.ListAsync(cancellationToken))
        {
            await store.PurgeAsync(agent.Name, RequestState.Completed, now - agent.Spec.Persistence.RetentionPeriod, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Returned {Count} requests this server was delivering when it stopped to the queue")]
    private partial void LogReleased(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request dispatch pass failed; trying again shortly")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering request {RequestId} to agent {AgentName} failed; it will be tried again when its lease ends")]
    private partial void LogDeliveryFailed(Exception exception, string requestId, string agentName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} to agent {AgentName} failed on attempt {Attempt}: {Error}")]
    private partial void LogAttemptFailed(string requestId, string agentName, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} queued requests of agent {AgentName}, which was removed")]
    private partial void LogDroppedForRemovedAgent(int count, string agentName);
}
