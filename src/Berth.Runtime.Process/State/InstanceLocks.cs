using System.Collections.Concurrent;

namespace Berth.Runtime.Process.State;

/// <summary>One lock per instance id, so a start, a stop and an exit record of the same instance never interleave.</summary>
internal sealed class InstanceLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string instanceId, CancellationToken cancellationToken)
    {
        var gate = Gate(instanceId);
        await gate.WaitAsync(cancellationToken);
        return new Held(gate);
    }

    /// <summary>Takes the lock only when it is free at once; null otherwise.</summary>
    public IDisposable? TryEnter(string instanceId)
    {
        var gate = Gate(instanceId);
        return gate.Wait(0) ? new Held(gate) : null;
    }

    private SemaphoreSlim Gate(string instanceId) => _gates.GetOrAdd(instanceId, _ => new SemaphoreSlim(1, 1));

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
