namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// Marks a tool that answers a client which opted into the tasks extension with a task instead of waiting: the tool starts
/// its work, hands the task's id to <see cref="TaskOffer.Accept"/> and returns; <see cref="TaskCreation"/> turns that into a
/// <c>CreateTaskResult</c>. The task's state is then read from Berth's store by the <see cref="IMcpTaskSource"/> whose
/// prefix the id carries, so it survives a restart.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class TaskSupportAttribute : Attribute;
