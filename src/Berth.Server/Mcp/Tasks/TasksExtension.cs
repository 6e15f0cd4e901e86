using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// The MCP tasks extension (<c>io.modelcontextprotocol/tasks</c>, SEP-2663): whether a request's client opted into it, so
/// task-supporting tools answer it with a task and the <c>tasks/*</c> methods serve it, while other clients get the plain
/// result and a refusal that names the capability to declare.
/// </summary>
internal static class TasksExtension
{
    public const string Id = "io.modelcontextprotocol/tasks";

    /// <summary>
    /// True when the client declared the extension: at initialize (sessions of the 2025 revisions), in the request's
    /// per-request capabilities (2026-07-28), or in the request's own <c>_meta</c> (a one-call opt-in).
    /// </summary>
    public static bool IsDeclared(MessageContext context, JsonObject? meta)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Declares(context.Server.ClientCapabilities) ||
               Declares(context.JsonRpcMessage.Context?.ClientCapabilities) ||
               (meta?[MetaKeys.ClientCapabilities] is JsonObject perRequest &&
                perRequest["extensions"] is JsonObject extensions && extensions.ContainsKey(Id));
    }

    /// <summary>The refusal a client gets for a <c>tasks/*</c> method without declaring the extension (-32021, naming it).</summary>
    public static McpProtocolException NotDeclared(string method) => new MissingRequiredClientCapabilityException(
        new ClientCapabilities { Extensions = new Dictionary<string, object> { [Id] = new JsonObject() } },
        $"{method} needs the {Id} extension: declare it in the client's capabilities (extensions) to use tasks.");

    private static bool Declares(ClientCapabilities? capabilities) => capabilities?.Extensions?.ContainsKey(Id) == true;
}
