using Berth.Core.Workflows;

namespace Berth.Server.Plugins.Execution;

/// <summary>
/// A plugin call that failed. <see cref="Class"/> is the workflow engine's error class, so a plugin step fails and retries as
/// an agent step does.
/// </summary>
internal sealed class PluginCallException(ErrorClass errorClass, string message, string? invocationId, string? pluginErrorClass = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorClass Class { get; } = errorClass;

    /// <summary>The recorded invocation; null when the call was refused before one began.</summary>
    public string? InvocationId { get; } = invocationId;

    /// <summary>The plugin's own <c>error.class</c> when it answered <c>{"success": false}</c>.</summary>
    public string? PluginErrorClass { get; } = pluginErrorClass;

    /// <summary>What went wrong, finer than <see cref="Class"/>. Default <see cref="PluginCallFailure.Unreachable"/>.</summary>
    public PluginCallFailure Failure { get; init; } = PluginCallFailure.Unreachable;

    /// <summary>The version called, <c>ID@VERSION</c>; null when none was found.</summary>
    public string? Plugin { get; init; }

    /// <summary>Each schema violation (<c>inputs.text: required</c>) when the inputs or outputs broke a schema; else empty.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Attempts made, retries included; 0 when the call was refused before it was sent.</summary>
    public int Attempts { get; set; }
}
