using System.Collections.Immutable;

namespace Berth.Storage.Sql;

/// <summary>
/// How the embedded broker announces its publishes (<see cref="IMessageArrivals"/>): in this process once the publish has
/// committed (SQLite, where one server owns the file), or from inside the publish's transaction to every server sharing the
/// database (<see cref="Postgres.PostgresMessageArrivals"/>).
/// </summary>
internal class MessageArrivals : IMessageArrivals, IAsyncDisposable
{
    private ImmutableArray<Action<string>> _handlers = [];

    public virtual Task<IDisposable> SubscribeAsync(Action<string> arrived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arrived);
        ImmutableInterlocked.Update(ref _handlers, handlers => handlers.Add(arrived));
        return Task.FromResult<IDisposable>(new Registration(() => ImmutableInterlocked.Update(ref _handlers, handlers => handlers.Remove(arrived))));
    }

    /// <summary>Inside the transaction that publishes to <paramref name="topic"/>; nothing in process, where nothing is sent before the commit.</summary>
    public virtual Task PublishingAsync(BrokerTransaction transaction, string topic) => Task.CompletedTask;

    /// <summary>Once the publish to <paramref name="topic"/> has committed: tells this process's handlers.</summary>
    public virtual void Published(string topic) => Announce(topic);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected void Announce(string topic)
    {
        // ImmutableArray wraps one reference: a read sees a whole list, the one before or after a concurrent change.
        foreach (var handler in _handlers)
        {
            handler(topic);
        }
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
