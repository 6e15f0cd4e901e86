using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;

namespace Berth.Client.Contracts;

/// <summary>A workflow run as the API shows it; <see cref="Steps"/> is filled when one run is read, not in lists.</summary>
public sealed record RunView
{
    /// <summary>The run's id.</summary>
    public required string Id { get; init; }

    /// <summary>The workflow it runs.</summary>
    public required string Workflow { get; init; }

    /// <summary>Its state.</summary>
    public required RunState State { get; init; }

    /// <summary>Who started it: a principal, <c>schedule</c>, or <c>run/{id}</c> for a child run.</summary>
    public required string StartedBy { get; init; }

    /// <summary>The parent run, for a child workflow step's run.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>The inputs, defaults filled in.</summary>
    public required JsonObject Inputs { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>Steps by state (for lists): state name → count.</summary>
    public IReadOnlyDictionary<StepState, int>? StepCounts { get; init; }

    /// <summary>Every step in the workflow's order, when one run is read.</summary>
    public IReadOnlyList<StepView>? Steps { get; init; }
}
