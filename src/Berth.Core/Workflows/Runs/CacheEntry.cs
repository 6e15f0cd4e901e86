namespace Berth.Core.Workflows.Runs;

/// <summary>
/// A stored step result under its cache key, with the key's parts (name → hash: <c>kind</c>, <c>image</c>, <c>command</c>,
/// <c>env.NAME</c>, <c>file:/path</c>, <c>input.x</c>…) so a miss can be explained against the closest earlier key.
/// </summary>
public sealed record CacheEntry
{
    /// <summary>SHA-256 over the parts, lowercase hex.</summary>
    public required string Key { get; init; }

    /// <summary>The workflow and step the entry was made by (entries are shared across workflows; these help explain misses).</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The step id that made it.</summary>
    public required string StepId { get; init; }

    /// <summary>The key's parts: name → hash (secret values only as keyed HMACs).</summary>
    public required IReadOnlyDictionary<string, string> Parts { get; init; }

    /// <summary>The stored outputs.</summary>
    public required StepOutputs Outputs { get; init; }

    /// <summary>When it was stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it may no longer be used; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
