using System.Text.Json.Nodes;

namespace Berth.Client.Contracts;

/// <summary>A plugin call that succeeded: the version that served it and its outputs, checked against its output schema.</summary>
public sealed record PluginInvokeResponse
{
    /// <summary>The invocation's id, as <c>berth plugins invocations</c> lists it.</summary>
    public required string InvocationId { get; init; }

    /// <summary>The plugin's id.</summary>
    public required string Plugin { get; init; }

    /// <summary>The version that served the call (the newest installed one the reference matched).</summary>
    public required string Version { get; init; }

    /// <summary>The plugin's outputs.</summary>
    public required JsonObject Outputs { get; init; }

    /// <summary>How long the call took, retries and waiting for an instance included, in milliseconds.</summary>
    public required double DurationMs { get; init; }

    /// <summary>Attempts made; more than 1 when a transient failure was retried.</summary>
    public required int Attempts { get; init; }
}
