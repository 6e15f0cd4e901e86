namespace Berth.Core.Workflows;

/// <summary>An applied workflow as stored.</summary>
public sealed record WorkflowRecord
{
    /// <summary>The workflow's name.</summary>
    public required string Name { get; init; }

    /// <summary>The applied spec.</summary>
    public required WorkflowSpec Spec { get; init; }

    /// <summary>Increases each time an apply changes the spec.</summary>
    public required long Generation { get; init; }

    /// <summary>When it was first applied.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the spec last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
