using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Plugins;

namespace Berth.Server.Plugins.Execution;

/// <summary>A call that succeeded, its outputs checked against the plugin's output schema.</summary>
internal sealed record PluginCallResult(string InvocationId, PluginRecord Plugin, JsonObject Outputs, int Attempts, TimeSpan Duration)
{
    /// <summary>The provider that served the call, as runs and breakers name it: <c>plugin:ID@VERSION</c>.</summary>
    public string Provider => $"plugin:{Plugin.Reference}";

    /// <summary>The answer the REST route and the MCP tool give for it.</summary>
    public PluginInvokeResponse ToResponse() => new()
    {
        InvocationId = InvocationId,
        Plugin = Plugin.Id,
        Version = Plugin.Version,
        Outputs = Outputs,
        DurationMs = Math.Round(Duration.TotalMilliseconds, 3),
        Attempts = Attempts,
    };
}
