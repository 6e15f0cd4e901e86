using System.Text.Json.Nodes;
using Berth.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// Raw requests of the tasks extension: a CreateTaskResult is not a CallToolResult, and the SDK's client has no tasks API.
/// The routing name becomes the Mcp-Name header 2026-07-28 requests must carry (the tool's name, or the task's id).
/// </summary>
internal static class TaskRequests
{
    public const string Extension = "io.modelcontextprotocol/tasks";

    /// <summary>Client capabilities that declare the tasks extension.</summary>
    public static ClientCapabilities WithTasks() => new() { Extensions = new Dictionary<string, object> { [Extension] = new JsonObject() } };

    public static async Task<JsonObject> SendAsync(McpClient client, string method, JsonObject parameters, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TestTimeouts.Token());
        var routing = (parameters["taskId"] ?? parameters["name"])?.GetValue<string>();
        var request = new JsonRpcRequest { Method = method, Params = parameters, Context = new JsonRpcMessageContext { RoutingName = routing } };
        var response = await client.SendRequestAsync(request, timeout.Token);
        return response.Result!.AsObject();
    }

    /// <summary>Calls <paramref name="tool"/> with <paramref name="arguments"/>: the task it created, or its plain result.</summary>
    public static Task<JsonObject> CallToolAsync(McpClient client, string tool, JsonObject arguments) =>
        SendAsync(client, "tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments });

    public static Task<JsonObject> GetAsync(McpClient client, string taskId, CancellationToken cancellationToken = default) =>
        SendAsync(client, "tasks/get", new JsonObject { ["taskId"] = taskId }, cancellationToken);

    /// <summary>The task once it is no longer working.</summary>
    public static Task<JsonObject> FinishedAsync(McpClient client, string taskId) =>
        Eventually.MatchAsync(ct => GetAsync(client, taskId, ct), t => t["status"]!.GetValue<string>() != "working", $"task {taskId} to finish");
}
