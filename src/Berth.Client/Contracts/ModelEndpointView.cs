using Berth.Core.Llm;

namespace Berth.Client.Contracts;

/// <summary>A model endpoint as <c>GET /api/v1/model-endpoints</c> lists it.</summary>
public sealed record ModelEndpointView
{
    /// <summary>The endpoint's name; the gateway serves it at <c>/llm/{name}/</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Its spec, defaults filled in (the key is the secret reference, never its value).</summary>
    public required ModelEndpointSpec Spec { get; init; }

    /// <summary>The path under the server's URL that clients use as their SDK's base URL: <c>/llm/{name}/v1</c> for OpenAI, <c>/llm/{name}</c> for Anthropic.</summary>
    public required string BasePath { get; init; }
}
