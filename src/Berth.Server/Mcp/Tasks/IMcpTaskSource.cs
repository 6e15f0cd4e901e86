using System.Security.Claims;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// Where tasks of one kind live: Berth's own records (a workflow run; a stored proxy request for a slow
/// <c>call_agent</c>), so a task is as durable as what it maps to. A task id is <c>{Prefix}{the record's id}</c>.
/// </summary>
internal interface IMcpTaskSource
{
    /// <summary>The start of the ids of this source's tasks, like <c>run-</c>.</summary>
    string Prefix { get; }

    /// <summary>The task for the record <paramref name="id"/>, or null when there is none.</summary>
    Task<McpTask?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the record's work to stop for <paramref name="user"/>: false when there is no such record. The policy the caller
    /// needs is <see cref="CancelPolicy"/>; a finished task stays as it is.
    /// </summary>
    Task<bool> CancelAsync(string id, ClaimsPrincipal user, CancellationToken cancellationToken);

    /// <summary>The policy (one of <see cref="Security.BerthPolicies"/>) a caller needs to cancel these tasks.</summary>
    string CancelPolicy { get; }
}
