using System.Collections.Concurrent;
using Berth.Core.Specs;
using Berth.Server.Reconciliation;

namespace Berth.Server.Tests.Fakes;

/// <summary>A health probe whose answers the test decides: healthy by default, or failing for chosen endpoints.</summary>
internal sealed class ScriptedProbe : IHealthProbe
{
    private readonly ConcurrentDictionary<Uri, bool> _failing = new();

    public int Probes;

    public bool AllHealthy { get; set; } = true;

    public void Fail(Uri endpoint) => _failing[endpoint] = true;

    public void Heal(Uri endpoint) => _failing.TryRemove(endpoint, out _);

    public Task<ProbeResult> ProbeAsync(Uri endpoint, HealthSpec health, AgentProtocol protocol, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Probes);
        var healthy = AllHealthy && !_failing.ContainsKey(endpoint);
        return Task.FromResult(healthy ? ProbeResult.Pass("GET /health 200") : ProbeResult.Fail("connection refused"));
    }
}
