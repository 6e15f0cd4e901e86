using System.Globalization;
using System.Security.Claims;
using Berth.Server.Audit;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// One audit record, one log line and one measurement per gateway tool call: who called which agent's tool, the outcome
/// and how long it took. Never the arguments' values (they may hold anything a model chose to send). The audit record has
/// no duration field, so the duration is part of its target: <c>agent=a tool=a__t durationMs=12</c>. The record carries no
/// source address: the SDK runs the call outside the HTTP request that carried it.
/// </summary>
internal sealed class GatewayAudit(AuditLog log, TimeProvider time, ILogger<GatewayAudit> logger)
{
    public const string Verb = "mcp.gateway.call";

    public void Record(ClaimsPrincipal user, GatewayTool tool, string outcome, int status, TimeSpan duration)
    {
        var principal = user.Identity?.Name ?? "unknown";
        var milliseconds = (long)duration.TotalMilliseconds;
        log.Write(
            user,
            time.GetUtcNow() - duration,
            $"MCP {GatewayEndpoints.Path} tools/call {tool.Name}",
            Verb,
            string.Create(CultureInfo.InvariantCulture, $"agent={tool.Agent} tool={tool.Name} durationMs={milliseconds}"),
            status,
            source: null,
            outcome);
        GatewayLog.Called(logger, principal, tool.Agent, tool.Name, outcome, milliseconds);
        GatewayMetrics.RecordCall(tool.Agent, outcome, duration);
    }
}
