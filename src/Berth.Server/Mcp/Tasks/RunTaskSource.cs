using System.Security.Claims;
using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Server.Mcp.Tools;
using Berth.Server.Security;
using Berth.Server.Workflows.Engine;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// Workflow runs as tasks: the run is the task (id <c>run-{run id}</c>), so its state is the run's as stored and a task
/// outlives a server restart. A queued or running run is <c>working</c>; a finished one <c>completed</c> with the
/// <c>run_workflow</c> answer as its result (a failed run too: its state says so); a cancelled one <c>cancelled</c>.
/// </summary>
internal sealed class RunTaskSource(IRunStore runs, RunCommands commands) : IMcpTaskSource
{
    public const string TaskPrefix = "run-";

    public string Prefix => TaskPrefix;

    public string CancelPolicy => BerthPolicies.Operator;

    public static string TaskId(string runId) => TaskPrefix + runId;

    public async Task<McpTask?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var steps = await runs.GetStepsAsync(id, cancellationToken);
        var finished = steps.Count(s => s.State is StepState.Succeeded or StepState.Cached or StepState.Failed or StepState.Skipped or StepState.Cancelled);
        var updated = steps.SelectMany(s => new[] { s.StartedAt, s.FinishedAt }).Append(run.FinishedAt).OfType<DateTimeOffset>().Append(run.CreatedAt).Max();
        var status = run.State switch
        {
            RunState.Succeeded or RunState.Failed => TaskStatuses.Completed,
            RunState.Cancelled => TaskStatuses.Cancelled,
            _ => TaskStatuses.Working,
        };
        return new McpTask
        {
            TaskId = TaskId(run.Id),
            Status = status,
            StatusMessage = run.Error ?? $"run {run.State.ToString().ToLowerInvariant()}: {finished} of {steps.Count} steps finished",
            CreatedAt = run.CreatedAt,
            LastUpdatedAt = updated,
            Result = status == TaskStatuses.Completed ? ToolResult(RunOutcome.Of(run, steps)) : null,
        };
    }

    public async Task<bool> CancelAsync(string id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await commands.CancelAsync(id, user?.Identity?.Name ?? "unknown", cancellationToken) != CancelOutcome.NotFound;

    // The same answer the tool gives when it waits: the outcome as structured content and as its JSON text.
    private static CallToolResult ToolResult(RunOutcome outcome)
    {
        var element = JsonSerializer.SerializeToElement(outcome, BerthJson.Options);
        return new CallToolResult { Content = [new TextContentBlock { Text = element.GetRawText() }], StructuredContent = element };
    }
}
