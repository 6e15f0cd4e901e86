namespace Berth.Core.Plugins;

/// <summary>One call of a plugin, as recorded: who asked, for what run, how long it took and how it ended.</summary>
public sealed record PluginInvocation
{
    /// <summary>The invocation's id, sent to the plugin as <c>context.invocationId</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The plugin's id.</summary>
    public required string PluginId { get; init; }

    /// <summary>The version that served the call.</summary>
    public required string Version { get; init; }

    /// <summary>Who called (<c>token:NAME</c>, <c>agent:NAME</c>, or <c>run:ID</c> for a workflow step).</summary>
    public required string Caller { get; init; }

    /// <summary>The workflow run, when a step made the call.</summary>
    public string? RunId { get; init; }

    /// <summary>The step, when a step made the call.</summary>
    public string? StepId { get; init; }

    /// <summary>The instance that answered, when one did.</summary>
    public string? InstanceId { get; init; }

    /// <summary>When the call began.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took, retries included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How it ended.</summary>
    public required PluginOutcome Outcome { get; init; }

    /// <summary>The error class of a failure (<c>transient</c>, <c>timeout</c>, <c>user</c>, …, or the plugin's own). Null on success.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>What went wrong, for a failure. Null on success.</summary>
    public string? Message { get; init; }
}
