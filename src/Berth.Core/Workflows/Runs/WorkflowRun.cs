using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Runs;

/// <summary>One run of a workflow, with the spec it runs (a snapshot: re-applying the workflow does not change a started run).</summary>
public sealed record WorkflowRun
{
    /// <summary>The run's id (a UUID v7 without dashes: sortable by start).</summary>
    public required string Id { get; init; }

    /// <summary>The workflow's name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The workflow as it was when the run was created.</summary>
    public required WorkflowSpec Spec { get; init; }

    /// <summary>The inputs, defaults filled in and types checked.</summary>
    public required JsonObject Inputs { get; init; }

    /// <summary>The run's state.</summary>
    public required RunState State { get; init; }

    /// <summary>Who or what started it: a principal's name, <c>schedule</c>, or <c>run/{id}</c> for a child.</summary>
    public required string StartedBy { get; init; }

    /// <summary>The parent run's id, for a child workflow step's run.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>What started the run when a trigger did (<c>{ "message": { id, topic, key, attributes, body, … } }</c>, read as <c>${{ trigger.message.body.x }}</c>); null otherwise.</summary>
    public System.Text.Json.Nodes.JsonObject? Trigger { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it reached its final state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The server running it; a server that starts again resumes its own runs and those whose lease ended.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Until when <see cref="LeaseOwner"/> holds the run.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}
