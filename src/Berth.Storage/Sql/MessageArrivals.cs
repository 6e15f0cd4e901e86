using Berth.Core.Storage;

namespace Berth.Storage.Sql;

/// <summary>
/// How the embedded broker announces its publishes (<see cref="IMessageArrivals"/>) on the store's signals
/// (<see cref="StoreChannels.Messages"/>): once the publish has committed on SQLite, where one server owns the file and the
/// signal stays in the process; from inside the publish's transaction on PostgreSQL (<see cref="Postgres.PostgresMessageArrivals"/>).
/// </summary>
internal class MessageArrivals(IStoreSignals signals)
{
    public Task<IDisposable> SubscribeAsync(Action<string> arrived, CancellationToken cancellationToken) =>
        signals.ListenAsync(StoreChannels.Messages, arrived, cancellationToken);

    /// <summary>Inside the transaction that publishes to <paramref name="topic"/>; nothing here, where nothing is sent before the commit.</summary>
    public virtual Task PublishingAsync(BrokerTransaction transaction, string topic) => Task.CompletedTask;

    /// <summary>Once the publish to <paramref name="topic"/> has committed.</summary>
    public virtual Task PublishedAsync(string topic) => signals.NotifyAsync(StoreChannels.Messages, topic, CancellationToken.None);
}
