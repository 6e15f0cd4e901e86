using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// A task as the extension shows it, read from Berth's store. <see cref="Result"/> is the tool's answer once the task
/// <c>completed</c> (a tool that ran and reported an error is completed with <c>isError</c>); <c>failed</c> is kept for a
/// protocol-level failure and carries <see cref="Error"/> instead.
/// </summary>
internal sealed record McpTask
{
    public required string TaskId { get; init; }

    /// <summary><c>working</c>, <c>input_required</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }

    public string? StatusMessage { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastUpdatedAt { get; init; }

    public CallToolResult? Result { get; init; }

    public string? Error { get; init; }

    public bool IsFinished => Status is TaskStatuses.Completed or TaskStatuses.Failed or TaskStatuses.Cancelled;
}
