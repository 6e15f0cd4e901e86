namespace Berth.Server.Plugins.Execution;

/// <summary>Who calls a plugin and for what: <c>token:NAME</c>, <c>agent:NAME</c> or <c>run:ID</c> with its step.</summary>
internal sealed record PluginCaller(string Caller, string? RunId = null, string? StepId = null)
{
    /// <summary>False for one attempt only: a workflow step with its own <c>retry</c> retries through the engine instead.</summary>
    public bool Retry { get; init; } = true;

    /// <summary>A shorter limit than the plugin's <c>api.timeout</c> for this call (a step's <c>timeout</c>); never a longer one.</summary>
    public TimeSpan? Timeout { get; init; }
}
