using System.Text.Json.Nodes;

namespace Berth.Client.Contracts;

/// <summary>The body of <c>POST /api/v1/plugins/{reference}/invoke</c>: the call's inputs, checked against the plugin's input schema.</summary>
public sealed record PluginInvokeRequest
{
    /// <summary>The inputs; null is an empty object.</summary>
    public JsonObject? Inputs { get; init; }
}
