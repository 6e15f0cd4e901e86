namespace Berth.Client.Contracts;

/// <summary>The state of one step target's circuit breaker.</summary>
/// <param name="Target">The target: <c>agent:NAME</c> or <c>image:REF</c>.</param>
/// <param name="State">closed (calls go through), open (steps fail fast with <c>circuit-open</c>), half-open (one trial call) or isolated.</param>
public sealed record CircuitView(string Target, string State);
