using System.Collections.Concurrent;

namespace Berth.Server.Messaging;

/// <summary>
/// The deliveries each SSE stream has sent and not seen settled, so a stream leases no more than its prefetch at a time. The ack
/// and nack routes report what they settled; a lease that ran out counts as settled too (the message is delivered again).
/// </summary>
internal sealed class StreamLeases(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _byAckId = new(StringComparer.Ordinal);

    /// <summary>A new window for one stream; dispose it when the stream ends.</summary>
    public Window Open(int prefetch) => new(this, prefetch, time);

    /// <summary>Marks <paramref name="ackIds"/> settled, freeing their streams' slots.</summary>
    public void Settle(IEnumerable<string> ackIds)
    {
        foreach (var ackId in ackIds)
        {
            if (_byAckId.TryRemove(ackId, out var window))
            {
                window.Release(ackId);
            }
        }
    }

    /// <summary>One stream's outstanding deliveries.</summary>
    internal sealed class Window(StreamLeases owner, int prefetch, TimeProvider time) : IDisposable
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);

        private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How many more deliveries the stream may lease now.</summary>
        public int Free
        {
            get
            {
                var now = time.GetUtcNow();
                foreach (var (ackId, expires) in _open)
                {
                    if (expires <= now && _open.TryRemove(ackId, out _))
                    {
                        owner._byAckId.TryRemove(ackId, out _);
                    }
                }

                return Math.Max(0, prefetch - _open.Count);
            }
        }

        /// <summary>Completes when a slot is freed by a settle.</summary>
        public Task Freed => Volatile.Read(ref _freed).Task;

        public void Track(string ackId, DateTimeOffset expires)
        {
            _open[ackId] = expires;
            owner._byAckId[ackId] = this;
        }

        public void Release(string ackId)
        {
            if (_open.TryRemove(ackId, out _))
            {
                Interlocked.Exchange(ref _freed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }

        public void Dispose()
        {
            foreach (var ackId in _open.Keys)
            {
                owner._byAckId.TryRemove(ackId, out _);
            }
        }
    }
}
