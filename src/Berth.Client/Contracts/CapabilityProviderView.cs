using System.Text.Json.Nodes;

namespace Berth.Client.Contracts;

/// <summary>One provider of a capability: what it declares and how it stands now.</summary>
public sealed record CapabilityProviderView
{
    /// <summary><c>agent</c> or <c>plugin</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The provider's id, as <c>Berth-Provider</c> and a step's <c>provider</c> name it: <c>agent:NAME</c> or <c>plugin:ID@VERSION</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The agent's name, or the plugin's <c>ID@VERSION</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The capability version it declares; null when unversioned.</summary>
    public string? Version { get; init; }

    /// <summary>What it says the capability does (for a plugin without one, the plugin's description); null when nothing is said.</summary>
    public string? Description { get; init; }

    /// <summary>JSON Schema of what a call gives it; null when not declared.</summary>
    public JsonObject? Inputs { get; init; }

    /// <summary>JSON Schema of what it answers; null when not declared.</summary>
    public JsonObject? Outputs { get; init; }

    /// <summary><c>healthy</c> or <c>unavailable</c> for an agent (a healthy instance or none); <c>available</c> for an installed plugin.</summary>
    public required string Health { get; init; }

    /// <summary>An agent's state (<c>running</c>, <c>unhealthy</c>, <c>stopped</c>…); null for a plugin.</summary>
    public string? State { get; init; }

    /// <summary>Instances passing their health probe (a plugin's warm instances).</summary>
    public int HealthyInstances { get; init; }

    /// <summary>Calls in flight to it now.</summary>
    public int Outstanding { get; init; }

    /// <summary>Its circuit breaker: <c>closed</c>, <c>open</c> (skipped by routing), <c>half-open</c> or <c>isolated</c>.</summary>
    public required string Breaker { get; init; }
}
