using Berth.Core.Specs;

namespace Berth.Server.Reconciliation;

/// <summary>Checks whether an instance answers at its endpoint.</summary>
internal interface IHealthProbe
{
    /// <summary>Probes once, within <see cref="HealthSpec.Timeout"/>, in the agent's <paramref name="protocol"/>. Never throws for an unhealthy answer.</summary>
    Task<ProbeResult> ProbeAsync(Uri endpoint, HealthSpec health, AgentProtocol protocol, CancellationToken cancellationToken);
}
