namespace Berth.Server.Capabilities;

/// <summary>How a provider stands right now, read from the live routes and breakers (never from the store).</summary>
/// <param name="Health">
/// <c>healthy</c> (an agent with a healthy instance), <c>unavailable</c> (an agent with none) or <c>available</c> (an installed
/// plugin: its pool may be cold, and starts on the first call).
/// </param>
/// <param name="State">An agent's state (<c>running</c>, <c>unhealthy</c>…) or null for a plugin.</param>
/// <param name="HealthyInstances">Instances that pass their health probe (a plugin's warm pool instances).</param>
/// <param name="Outstanding">Calls in flight to those instances.</param>
/// <param name="Breaker"><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>; closed when no call went through it yet.</param>
internal sealed record ProviderHealth(string Health, string? State, int HealthyInstances, int Outstanding, string Breaker)
{
    public const string Healthy = "healthy";

    public const string Unavailable = "unavailable";

    public const string Available = "available";

    /// <summary>Whether a call may be sent to the provider now.</summary>
    public bool CanServe => Health is Healthy or Available;
}
