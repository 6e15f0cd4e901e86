using System.Security.Claims;
using Berth.Core.Storage;
using Berth.Server.Proxy;
using Berth.Server.Reconciliation;
using Berth.Server.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// A <c>call_agent</c> that becomes a task: the call runs in the background, owned by the server rather than by the MCP
/// request (server shutdown stops it; the durable proxy still stores its outcome, and the dispatcher delivers what was not
/// delivered), and the task is the stored request it made, so the task is as durable as the request journal. Only agents
/// with persistence on qualify: without a stored request there is nothing a task could be read back from.
/// </summary>
internal sealed partial class CallAgentTasks(
    InProcessProxy proxy, InstanceDirectory directory, IAgentStore agents, IHostApplicationLifetime lifetime, ILogger<CallAgentTasks> logger)
{
    /// <summary>The key a task's call carries when its caller gave none, so the stored request runs at most once.</summary>
    public const string KeyPrefix = "mcp-task-";

    /// <summary>True when calls to <paramref name="name"/> are stored first (its persistence is on), as the proxy decides.</summary>
    public async Task<bool> IsDurableAsync(string name, CancellationToken cancellationToken) =>
        directory.Find(name) is { } route
            ? route.Persistence.Enabled
            : (await agents.GetAsync(name, cancellationToken))?.Spec.Persistence.Enabled == true;

    /// <summary>
    /// Starts <paramref name="call"/> in the background and returns the stored request's id once the journal has it; when
    /// the call ends without storing anything (refused, a bad request, persistence turned off meanwhile) its answer or problem
    /// instead, as a synchronous call would give them.
    /// </summary>
    public async Task<(string? RequestId, AgentAnswer? Answer, ProblemHttpResult? Problem)> StartAsync(
        AgentCall call, ClaimsPrincipal user, HttpContext? from, CancellationToken cancellationToken)
    {
        var signal = new StoredRequestSignal();
        var keyed = WithKey(call);
        var running = proxy.CallAsync(keyed, user, from, lifetime.ApplicationStopping, signal);
        _ = running.ContinueWith(
            t => LogFailed(t.Exception!.GetBaseException(), keyed.Name),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

        var first = await Task.WhenAny(signal.Stored, running).WaitAsync(cancellationToken);
        if (first == signal.Stored || signal.Stored.IsCompleted)
        {
            return (await signal.Stored, null, null);
        }

        var (answer, problem) = await running;
        return (null, answer, problem);
    }

    private static AgentCall WithKey(AgentCall call)
    {
        if (call.Headers.Keys.Any(k => k.Equals(DurableProxy.IdempotencyKeyHeader, StringComparison.OrdinalIgnoreCase)))
        {
            return call;
        }

        var headers = new Dictionary<string, string>(call.Headers, StringComparer.OrdinalIgnoreCase)
        {
            [DurableProxy.IdempotencyKeyHeader] = $"{KeyPrefix}{Guid.NewGuid():N}",
        };
        return call with { Headers = headers };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A call_agent task's call to agent {AgentName} failed in the background; its stored request says how far it got")]
    private partial void LogFailed(Exception exception, string agentName);
}
