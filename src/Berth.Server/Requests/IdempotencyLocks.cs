using System.Collections.Concurrent;

namespace Berth.Server.Requests;

/// <summary>Serialises requests that carry the same idempotency key of the same caller for the same agent, so only one of them is stored and run.</summary>
internal sealed class IdempotencyLocks
{
    private readonly ConcurrentDictionary<(string Agent, string Scope, string Key), Gate> _gates = new();

    public async Task<IDisposable> EnterAsync(string agentName, string scope, string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var gate = _gates.GetOrAdd((agentName, scope, key), _ => new Gate());
            await gate.Semaphore.WaitAsync(cancellationToken);
            if (_gates.TryGetValue((agentName, scope, key), out var current) && ReferenceEquals(current, gate))
            {
                return new Held(this, (agentName, scope, key), gate);
            }

            // the gate was retired between lookup and entry; take the new one
            gate.Semaphore.Release();
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
    }

    private sealed class Held(IdempotencyLocks owner, (string Agent, string Scope, string Key) id, Gate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._gates.TryRemove(new KeyValuePair<(string Agent, string Scope, string Key), Gate>(id, gate));
                gate.Semaphore.Release();
            }
        }
    }
}
