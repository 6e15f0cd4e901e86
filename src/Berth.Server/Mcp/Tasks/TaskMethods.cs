using System.Security.Claims;
using System.Text.Json.Nodes;
using Berth.Server.Audit;
using Berth.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// The <c>tasks/get</c>, <c>tasks/cancel</c> and <c>tasks/update</c> methods of the tasks extension, served from Berth's
/// store. Only clients that declared the extension may call them (-32021 otherwise); an unknown task id is -32602.
/// <c>tasks/result</c> and <c>tasks/list</c> of the first tasks draft are gone in SEP-2663 (the result is inlined in
/// <c>tasks/get</c>), so they stay unknown methods (-32601).
/// </summary>
internal static class TaskMethods
{
    public static IEnumerable<McpServerRequestHandler> All() =>
    [
        new() { Method = "tasks/get", RoutingNameParameter = "taskId", Handler = GetAsync },
        new() { Method = "tasks/cancel", RoutingNameParameter = "taskId", Handler = CancelAsync },
        new() { Method = "tasks/update", RoutingNameParameter = "taskId", Handler = UpdateAsync },
    ];

    private static async ValueTask<JsonNode?> GetAsync(RequestContext<JsonNode?> context, CancellationToken cancellationToken)
    {
        var (store, taskId) = Open(context, "tasks/get");
        var task = await store.GetAsync(taskId, cancellationToken) ?? throw Unknown(taskId);
        return TaskWire.Detailed(task);
    }

    private static async ValueTask<JsonNode?> CancelAsync(RequestContext<JsonNode?> context, CancellationToken cancellationToken)
    {
        var (store, taskId) = Open(context, "tasks/cancel");
        var (source, id) = store.Resolve(taskId);
        if (source is null)
        {
            throw Unknown(taskId);
        }

        var user = context.User ?? new ClaimsPrincipal(new ClaimsIdentity());
        var services = Services(context);
        var started = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var audit = services.GetRequiredService<AuditLog>();
        void Record(int status) => McpAudit.Write(audit, context, "tasks/cancel", "mcp.tasks.cancel", $"taskId={CallerText.Printable(taskId, CallerText.AuditLength)}", started, status);

        if (!await ToolRoles.IsAllowedAsync(services, user, source.CancelPolicy))
        {
            Record(StatusCodes.Status403Forbidden);
            throw new McpProtocolException(
                ToolRoles.RefusalMessage(user, $"cancel task {CallerText.Printable(taskId, 60)}", source.CancelPolicy), McpErrorCode.InvalidRequest);
        }

        var cancelled = await source.CancelAsync(id, user, cancellationToken);
        Record(cancelled ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
        return cancelled ? TaskWire.Ack() : throw Unknown(taskId);
    }

    // Berth's tasks never ask for input, so there is nothing to update: a known task is acknowledged and the responses ignored.
    private static async ValueTask<JsonNode?> UpdateAsync(RequestContext<JsonNode?> context, CancellationToken cancellationToken)
    {
        var (store, taskId) = Open(context, "tasks/update");
        _ = await store.GetAsync(taskId, cancellationToken) ?? throw Unknown(taskId);
        return TaskWire.Ack();
    }

    private static (McpTaskStore Store, string TaskId) Open(RequestContext<JsonNode?> context, string method)
    {
        var parameters = context.Params as JsonObject;
        if (!TasksExtension.IsDeclared(context, parameters?["_meta"] as JsonObject))
        {
            throw TasksExtension.NotDeclared(method);
        }

        if (parameters?["taskId"] is not JsonValue value || !value.TryGetValue<string>(out var taskId) || taskId.Length == 0)
        {
            throw new McpProtocolException($"{method} needs params.taskId, the id tools/call returned with the task.", McpErrorCode.InvalidParams);
        }

        return (Services(context).GetRequiredService<McpTaskStore>(), taskId);
    }

    private static IServiceProvider Services(MessageContext context) => (context.Services ?? context.Server.Services)!;

    private static McpProtocolException Unknown(string taskId)
    {
        var shown = CallerText.Printable(taskId, 60);
        return new McpProtocolException($"No task '{shown}': a task id is the taskId a tools/call returned (run-<run id> for a workflow run, request-<request id> for a call_agent).", McpErrorCode.InvalidParams);
    }
}
