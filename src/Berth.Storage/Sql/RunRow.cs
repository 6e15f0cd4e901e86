using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;
using Berth.Core.Workflows;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>runs</c> as Dapper reads it.</summary>
internal sealed class RunRow
{
    public const string Columns =
        "id AS Id, workflow_name AS WorkflowName, spec AS Spec, inputs AS Inputs, state AS State, started_by AS StartedBy, " +
        "parent_run_id AS ParentRunId, created_at AS CreatedAt, finished_at AS FinishedAt, error AS Error, " +
        "lease_owner AS LeaseOwner, lease_expires_at AS LeaseExpiresAt, trigger AS Trigger";

    public string Id { get; init; } = "";

    public string WorkflowName { get; init; } = "";

    public string Spec { get; init; } = "";

    public string Inputs { get; init; } = "";

    public string State { get; init; } = "";

    public string StartedBy { get; init; } = "";

    public string? ParentRunId { get; init; }

    public string CreatedAt { get; init; } = "";

    public string? FinishedAt { get; init; }

    public string? Error { get; init; }

    public string? LeaseOwner { get; init; }

    public string? LeaseExpiresAt { get; init; }

    public string? Trigger { get; init; }

    public WorkflowRun ToRun()
    {
        var owner = $"Run {Id}";
        return new WorkflowRun
        {
            Id = Id,
            WorkflowName = WorkflowName,
            Spec = StoredJson.Deserialize<WorkflowSpec>(Spec, owner, "spec"),
            Inputs = StoredJson.Deserialize<JsonObject>(Inputs, owner, "inputs"),
            State = StoredJson.Enum<RunState>(State, owner, "state"),
            StartedBy = StartedBy,
            ParentRunId = ParentRunId,
            CreatedAt = StoredJson.Time(CreatedAt, owner, "created_at"),
            FinishedAt = StoredJson.TimeOrNull(FinishedAt, owner, "finished_at"),
            Error = Error,
            LeaseOwner = LeaseOwner,
            LeaseExpiresAt = StoredJson.TimeOrNull(LeaseExpiresAt, owner, "lease_expires_at"),
            Trigger = Trigger is null ? null : StoredJson.Deserialize<JsonObject>(Trigger, owner, "trigger"),
        };
    }
}
