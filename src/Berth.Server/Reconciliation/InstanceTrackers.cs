using System.Collections.Concurrent;

namespace Berth.Server.Reconciliation;

/// <summary>The <see cref="InstanceTracker"/> of every instance the reconciler has seen since the server started.</summary>
internal sealed class InstanceTrackers
{
    private readonly ConcurrentDictionary<string, InstanceTracker> _trackers = new(StringComparer.Ordinal);

    public InstanceTracker For(string instanceId) => _trackers.GetOrAdd(instanceId, _ => new InstanceTracker());

    public void Forget(string instanceId) => _trackers.TryRemove(instanceId, out _);
}
