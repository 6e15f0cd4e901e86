using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// Turns a call of a <see cref="TaskSupportAttribute"/> tool from a client that opted into the tasks extension into a task:
/// the call runs through the whole ordinary pipeline (roles, failures) with a <see cref="TaskOffer"/>, and when the tool
/// accepted it the answer is the task, read back from the store, so a <c>tasks/get</c> right after it always finds it.
/// Any other call is untouched.
/// </summary>
internal static class TaskCreation
{
    public static async ValueTask<ResultOrAlternate<CallToolResult>> FilterAsync(
        RequestContext<CallToolRequestParams> context,
        McpRequestHandler<CallToolRequestParams, ResultOrAlternate<CallToolResult>> next,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.MatchedPrimitive is not McpServerTool tool || !tool.Metadata.OfType<TaskSupportAttribute>().Any() ||
            !TasksExtension.IsDeclared(context, context.Params?.Meta))
        {
            return await next(context, cancellationToken);
        }

        var offer = TaskOffer.Make(context);
        var answer = await next(context, cancellationToken);
        if (offer.TaskId is null || answer.IsAlternate || answer.Result?.IsError == true)
        {
            return answer;
        }

        var store = (context.Services ?? context.Server.Services)!.GetRequiredService<McpTaskStore>();
        var task = await store.GetAsync(offer.TaskId, cancellationToken)
            ?? throw new McpProtocolException($"Task {offer.TaskId} was created but cannot be read back.", McpErrorCode.InternalError);
        return ResultOrAlternate<CallToolResult>.FromAlternate(TaskWire.Created(task), TaskJsonContext.Default.CreateTaskResult);
    }
}
