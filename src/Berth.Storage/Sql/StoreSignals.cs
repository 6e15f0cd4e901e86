using System.Collections.Immutable;
using Berth.Core.Storage;

namespace Berth.Storage.Sql;

/// <summary>The listeners of <see cref="IStoreSignals"/> by channel, and how a heard payload reaches them.</summary>
internal abstract class StoreSignals : IStoreSignals, IAsyncDisposable
{
    private ImmutableDictionary<string, ImmutableArray<Action<string>>> _listeners = ImmutableDictionary<string, ImmutableArray<Action<string>>>.Empty;

    public abstract Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken);

    public virtual Task<IDisposable> ListenAsync(string channel, Action<string> heard, CancellationToken cancellationToken)
    {
        StoreChannels.Check(channel);
        ArgumentNullException.ThrowIfNull(heard);
        ImmutableInterlocked.AddOrUpdate(ref _listeners, channel, [heard], (_, listeners) => listeners.Add(heard));
        return Task.FromResult<IDisposable>(new Registration(() =>
            ImmutableInterlocked.AddOrUpdate(ref _listeners, channel, [], (_, listeners) => listeners.Remove(heard))));
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected static void CheckPayload(string channel, string payload)
    {
        StoreChannels.Check(channel);
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length > StoreChannels.MaxPayloadLength)
        {
            throw new ArgumentException($"a signal's payload is at most {StoreChannels.MaxPayloadLength} characters; got {payload.Length}", nameof(payload));
        }
    }

    protected void Hear(string channel, string payload)
    {
        // An immutable dictionary of immutable arrays: a read sees whole lists, the ones before or after a concurrent change.
        if (_listeners.TryGetValue(channel, out var listeners))
        {
            foreach (var heard in listeners)
            {
                heard(payload);
            }
        }
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
