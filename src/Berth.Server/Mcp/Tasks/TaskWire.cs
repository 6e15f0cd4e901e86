using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// The tasks extension's shapes on the wire (SEP-2663, as the conformance suite checks them): a flat <c>CreateTaskResult</c>
/// (<c>resultType: "task"</c>, the task's fields at the top, no <c>result</c>), and <c>tasks/get</c>'s detailed task with the
/// tool's result inlined once completed. <c>ttlMs</c> is always present and null: a run is kept until it is deleted, never
/// expired. Times are ISO 8601 UTC; durations integer milliseconds.
/// </summary>
internal static class TaskWire
{
    /// <summary>How often a client should poll <c>tasks/get</c>.</summary>
    public const int PollIntervalMs = 1000;

    public static CreateTaskResult Created(McpTask task) => new()
    {
        ResultType = "task",
        TaskId = task.TaskId,
        Status = task.Status,
        StatusMessage = task.StatusMessage,
        CreatedAt = Time(task.CreatedAt),
        LastUpdatedAt = Time(task.LastUpdatedAt),
        PollIntervalMs = PollIntervalMs,
    };

    /// <summary>The answer of <c>tasks/get</c>.</summary>
    public static JsonObject Detailed(McpTask task)
    {
        var answer = new JsonObject
        {
            ["resultType"] = "complete",
            ["taskId"] = task.TaskId,
            ["status"] = task.Status,
            ["createdAt"] = Time(task.CreatedAt),
            ["lastUpdatedAt"] = Time(task.LastUpdatedAt),
            ["ttlMs"] = null,
            ["pollIntervalMs"] = PollIntervalMs,
        };
        if (task.StatusMessage is { } message)
        {
            answer["statusMessage"] = message;
        }

        if (task.Status == TaskStatuses.Completed && task.Result is { } result)
        {
            answer["result"] = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult)));
        }
        else if (task.Status == TaskStatuses.Failed)
        {
            answer["error"] = new JsonObject { ["code"] = (int)McpErrorCode.InternalError, ["message"] = task.Error ?? "the task failed" };
        }

        return answer;
    }

    /// <summary>The empty acknowledgement of <c>tasks/cancel</c> and <c>tasks/update</c>.</summary>
    public static JsonObject Ack() => new() { ["resultType"] = "complete" };

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
