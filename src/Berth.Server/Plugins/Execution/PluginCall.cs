using Berth.Core.Plugins;
using Berth.Core.Workflows;

namespace Berth.Server.Plugins.Execution;

/// <summary>One invocation in progress: its id, the version it calls, who asked, and what its attempts have seen so far.</summary>
internal sealed class PluginCall(string id, PluginRecord plugin, PluginCaller caller, DateTimeOffset startedAt)
{
    public string Id { get; } = id;

    public PluginRecord Plugin { get; } = plugin;

    public PluginCaller Caller { get; } = caller;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The instance the last attempt reached, for the record; null before one was reached.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Where the last attempt went, so a retry goes elsewhere when it can.</summary>
    public Uri? LastEndpoint { get; set; }

    /// <summary>The exception for a failure of this call.</summary>
    public PluginCallException Fail(
        ErrorClass errorClass, PluginCallFailure failure, string message, string? pluginErrorClass = null, Exception? inner = null, IReadOnlyList<string>? errors = null) =>
        new(errorClass, message, Id, pluginErrorClass, inner) { Failure = failure, Plugin = Plugin.Reference, Attempts = Attempts, Errors = errors ?? [] };
}
