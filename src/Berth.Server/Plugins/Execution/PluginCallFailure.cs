namespace Berth.Server.Plugins.Execution;

/// <summary>
/// What went wrong with a plugin call, finer than its <see cref="Berth.Core.Workflows.ErrorClass"/>: the REST API answers
/// 404, 422, 502, 503 or 504 by it.
/// </summary>
internal enum PluginCallFailure
{
    /// <summary>The reference is not a plugin reference (<c>id</c>, <c>id@1.2.0</c>, <c>id@^1</c>).</summary>
    InvalidReference,

    /// <summary>No installed version matches the reference, or the version was removed during the call.</summary>
    NotInstalled,

    /// <summary>The inputs do not match the plugin's input schema, or are larger than the payload limit.</summary>
    InvalidInputs,

    /// <summary>The plugin answered <c>{"success": false}</c>.</summary>
    PluginError,

    /// <summary>The plugin answered something other than the contract's answer (not JSON, no <c>success</c>, too large).</summary>
    BadAnswer,

    /// <summary>The plugin's outputs do not match its output schema.</summary>
    InvalidOutputs,

    /// <summary>The instance could not be reached, or answered 5xx without the contract's answer.</summary>
    Unreachable,

    /// <summary>No instance of the pool was healthy and free within the deadline.</summary>
    Unavailable,

    /// <summary>The version's circuit breaker is open after repeated failures; the call was not sent.</summary>
    BreakerOpen,

    /// <summary>The call took longer than its deadline (the plugin's <c>api.timeout</c>, or the caller's shorter one).</summary>
    Timeout,
}
