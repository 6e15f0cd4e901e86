using Berth.Client.Contracts;

namespace Berth.Client;

/// <summary>On-demand health probes.</summary>
public sealed partial class BerthClient
{
    /// <summary>
    /// Probes every instance of the agent now with its spec's health probe and returns what each answered (viewer role).
    /// Throws <see cref="Errors.BerthApiException"/> with status 404 when the agent is unknown.
    /// </summary>
    public Task<AgentHealthReport> GetAgentHealthAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AgentHealthReport>(HttpMethod.Get, $"{AgentPath(name)}/health", null, cancellationToken);
}
