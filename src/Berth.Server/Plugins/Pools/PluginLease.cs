using Berth.Server.Reconciliation;

namespace Berth.Server.Plugins.Pools;

/// <summary>A slot on one instance of a plugin pool, held for one call; disposing it gives the slot back (once).</summary>
internal sealed class PluginLease(PluginPoolLeases owner, PluginPoolState pool, Uri endpoint, string? instanceId, AgentRoute.InFlight inFlight) : IDisposable
{
    private int _disposed;

    /// <summary>Where the instance answers.</summary>
    public Uri Endpoint { get; } = endpoint;

    /// <summary>The instance's id, when the store knew it.</summary>
    public string? InstanceId { get; } = instanceId;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inFlight.Dispose();
            owner.Release(pool, Endpoint);
        }
    }
}
