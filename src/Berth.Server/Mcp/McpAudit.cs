using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Berth.Server.Audit;
using Berth.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp;

/// <summary>
/// Audits MCP tool calls that can change something (every tool not marked read-only), whatever their outcome: a POST to
/// <c>/mcp</c> is not audited as such (it is one JSON-RPC message of many kinds), so each such call writes its own record,
/// as <see cref="AuditMiddleware"/> would for the API route doing the same: principal, token and role; action
/// <c>MCP tools/call {tool}</c>; verb <c>mcp.{tool}</c>; status 200, or the failure's HTTP status (403 for a role refused,
/// 4xx as the API answers, 500 for a fault); outcome from it. The target holds only the identifying arguments
/// (<c>name</c>, <c>id</c>), cleaned and bounded; never a value such as a spec, a body or headers. Registered inside the
/// filter that turns failures into results and around the role check, so refusals are recorded too. Methods outside the
/// typed pipeline that change something (<c>tasks/cancel</c>) write their record with <see cref="Write"/>.
/// </summary>
internal static class McpAudit
{
    private static readonly string[] IdentifyingArguments = ["name", "id"];

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Record(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is not McpServerTool tool || tool.ProtocolTool.Annotations?.ReadOnlyHint == true || context.Services is not { } services)
            {
                return await next(context, cancellationToken);
            }

            var log = services.GetRequiredService<AuditLog>();
            var started = services.GetRequiredService<TimeProvider>().GetUtcNow();
            try
            {
                var result = await next(context, cancellationToken);
                Write(log, context, tool.ProtocolTool.Name, started, result.IsError == true ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
                return result;
            }
            catch (ToolFailure failure)
            {
                Write(log, context, tool.ProtocolTool.Name, started, failure.Status);
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Write(log, context, tool.ProtocolTool.Name, started, StatusCodes.Status499ClientClosedRequest);
                throw;
            }
            catch
            {
                Write(log, context, tool.ProtocolTool.Name, started, StatusCodes.Status500InternalServerError);
                throw;
            }
        };

    private static void Write(AuditLog log, RequestContext<CallToolRequestParams> context, string tool, DateTimeOffset started, int status) =>
        Write(log, context, $"tools/call {CallerText.Printable(tool, CallerText.AuditLength)}", $"mcp.{CallerText.Printable(tool, CallerText.AuditLength)}", Target(context.Params?.Arguments), started, status);

    /// <summary>Writes the record of an MCP request that changes something: <paramref name="method"/> is its MCP method and subject, <paramref name="target"/> what it was aimed at (already cleaned).</summary>
    public static void Write(AuditLog log, MessageContext context, string method, string verb, string? target, DateTimeOffset started, int status)
    {
        var http = context.Services?.GetService<IHttpContextAccessor>()?.HttpContext;
        log.Write(context.User ?? new ClaimsPrincipal(new ClaimsIdentity()), started, $"MCP {method}", verb, target, status, http?.Connection.RemoteIpAddress?.ToString());
    }

    private static string? Target(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var target = new StringBuilder();
        foreach (var key in IdentifyingArguments)
        {
            if (arguments.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String)
            {
                target.Append(target.Length == 0 ? "" : " ").Append(key).Append('=').Append(CallerText.Printable(value.GetString(), CallerText.AuditLength));
            }
        }

        return target.Length == 0 ? null : target.ToString();
    }
}
