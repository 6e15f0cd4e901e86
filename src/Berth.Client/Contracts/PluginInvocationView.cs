using Berth.Core.Plugins;

namespace Berth.Client.Contracts;

/// <summary>One recorded plugin call, as <c>GET /api/v1/plugins/{id}/invocations</c> lists it (never its inputs or outputs).</summary>
public sealed record PluginInvocationView
{
    /// <summary>The invocation's id.</summary>
    public required string Id { get; init; }

    /// <summary>The plugin's id.</summary>
    public required string Plugin { get; init; }

    /// <summary>The version that served the call.</summary>
    public required string Version { get; init; }

    /// <summary>Who called: <c>token:NAME</c>, <c>agent:NAME</c> or <c>run:ID</c>.</summary>
    public required string Caller { get; init; }

    /// <summary>The workflow run that made the call; null otherwise.</summary>
    public string? RunId { get; init; }

    /// <summary>The step that made the call; null otherwise.</summary>
    public string? StepId { get; init; }

    /// <summary>The instance that answered; null when none was reached.</summary>
    public string? InstanceId { get; init; }

    /// <summary>When the call began.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took, retries included, in milliseconds.</summary>
    public required double DurationMs { get; init; }

    /// <summary>How it ended.</summary>
    public required PluginOutcome Outcome { get; init; }

    /// <summary>The error class of a failure (<c>transient</c>, <c>timeout</c>, <c>user</c>, …, or the plugin's own); null on success.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>What went wrong; null on success.</summary>
    public string? Message { get; init; }

    /// <summary>The view of a stored invocation.</summary>
    public static PluginInvocationView From(PluginInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return new PluginInvocationView
        {
            Id = invocation.Id,
            Plugin = invocation.PluginId,
            Version = invocation.Version,
            Caller = invocation.Caller,
            RunId = invocation.RunId,
            StepId = invocation.StepId,
            InstanceId = invocation.InstanceId,
            StartedAt = invocation.StartedAt,
            DurationMs = Math.Round(invocation.Duration.TotalMilliseconds, 3),
            Outcome = invocation.Outcome,
            ErrorClass = invocation.ErrorClass,
            Message = invocation.Message,
        };
    }
}
