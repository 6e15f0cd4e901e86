namespace Berth.Server.Mcp.Tasks;

/// <summary>The task statuses of SEP-2663.</summary>
internal static class TaskStatuses
{
    public const string Working = "working";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
