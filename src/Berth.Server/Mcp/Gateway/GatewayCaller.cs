using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Json;
using Berth.Core.Security;
using Berth.Server.Reconciliation;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// Calls an agent's tool for a gateway client: on a healthy instance (least outstanding, as the proxy picks), within
/// <see cref="McpSettings.GatewayCallTimeout"/>. A call that never reached the instance (connection refused, or its session is
/// gone because the agent restarted at the same address) is sent again, once per instance, on a fresh session, to another
/// healthy replica when there is one. A call that reached the agent is never repeated. Every call is audited and measured.
/// </summary>
internal sealed class GatewayCaller(InstanceDirectory directory, GatewayClients clients, GatewayAudit audit, IOptionsMonitor<McpSettings> settings, TimeProvider time)
{
    private const int MaxAttempts = 3;

    public async Task<CallToolResult> CallAsync(ClaimsPrincipal user, GatewayTool tool, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var (result, outcome, status) = await SendAsync(tool, arguments, cancellationToken);
        audit.Record(user, tool, outcome, status, time.GetElapsedTime(started));
        return result;
    }

    private async Task<(CallToolResult Result, string Outcome, int Status)> SendAsync(
        GatewayTool tool, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var limit = settings.CurrentValue.GatewayCallTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var request = new CallToolRequestParams { Name = tool.Upstream, Arguments = arguments };
        var refused = new List<Uri>();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var route = directory.Find(tool.Agent);
            var endpoint = refused.Count == 0 ? route?.Next() : route?.Healthy.Where(e => !refused.Contains(e)).OrderBy(route.Outstanding).FirstOrDefault();
            if (route is null || endpoint is null || route.McpPath is not { } path)
            {
                var why = refused.Count == 0 ? "it has no healthy instance" : $"its instances refused the connection ({refused.Count} tried)";
                return (Failure($"Agent '{tool.Agent}' cannot take the call: {why}. Check 'berth describe agent {tool.Agent}', or retry shortly."), AuditOutcomes.Failed, 503);
            }

            var address = GatewayClients.Address(endpoint, path);
            using var inFlight = route.Enter(endpoint);
            try
            {
                var client = await clients.GetAsync(tool.Agent, address, route.Protocol, timeout.Token);
                var result = await client.CallToolAsync(request, timeout.Token);
                return (result, result.IsError == true ? AuditOutcomes.Failed : AuditOutcomes.Allowed, 200);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return (Failure($"Agent '{tool.Agent}' did not answer {tool.Upstream} within {Core.Specs.Duration.Format(limit)} (Berth:Mcp:GatewayCallTimeout)."), AuditOutcomes.Failed, 504);
            }
            catch (McpException ex) when (!NeverSent(ex))
            {
                return (Failure($"Agent '{tool.Agent}' answered {tool.Upstream} with an error: {ex.Message}"), AuditOutcomes.Failed, 502);
            }
            catch (Exception ex) when (NeverSent(ex) && !cancellationToken.IsCancellationRequested)
            {
                clients.Drop(address);
                refused.Add(endpoint);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                clients.Drop(address);
                return (Failure($"The call to agent '{tool.Agent}' failed: {ex.Message}"), AuditOutcomes.Failed, 502);
            }
        }

        return (Failure($"Agent '{tool.Agent}' refused the connection on every attempt; retry shortly."), AuditOutcomes.Failed, 503);
    }

    /// <summary>
    /// Whether the call certainly did not reach the agent: the connection was refused (the instance is dead), the agent no
    /// longer knows the session (it restarted at the same address: 404), or the session had closed before the call was sent.
    /// </summary>
    private static bool NeverSent(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                case HttpRequestException { StatusCode: HttpStatusCode.NotFound }:
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                case ClientTransportClosedException:
                    return true;
            }
        }

        return false;
    }

    private static CallToolResult Failure(string message) => new ToolFailure(message).ToResult();
}
