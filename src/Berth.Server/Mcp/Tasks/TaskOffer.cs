using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// One tool call's chance to become a task: present (in the request's items) only when the tool supports tasks and the
/// client opted in. The tool calls <see cref="Accept"/> once its work is stored; a tool that answers at once leaves it alone.
/// </summary>
internal sealed class TaskOffer
{
    private const string Key = "berth.mcp.task-offer";

    /// <summary>The id of the task the tool created, once it accepted.</summary>
    public string? TaskId { get; private set; }

    /// <summary>The offer made to this call, or null when it must answer synchronously.</summary>
    public static TaskOffer? Of(MessageContext context) =>
        context?.Items.TryGetValue(Key, out var value) == true ? value as TaskOffer : null;

    public static TaskOffer Make(MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var offer = new TaskOffer();
        context.Items[Key] = offer;
        return offer;
    }

    /// <summary>Turns the call into the task <paramref name="taskId"/> (an id an <see cref="IMcpTaskSource"/> resolves).</summary>
    public void Accept(string taskId) => TaskId = taskId;
}
