using Berth.Core.Storage;
using Berth.Storage.Sql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Publishes announced to every server sharing the PostgreSQL database: a publish sends <c>NOTIFY</c> in its transaction
/// (PostgreSQL delivers it only if the transaction commits, once however often a conflict ran it), and every server hears it
/// through its <see cref="PostgresStoreSignals"/> listener. Publishes made while a listener reconnects are not announced;
/// consumers find them at their next recheck.
/// </summary>
internal sealed class PostgresMessageArrivals(IStoreSignals signals) : MessageArrivals(signals)
{
    public override Task PublishingAsync(BrokerTransaction transaction, string topic) =>
        transaction.ExecuteAsync(PostgresStoreSignals.Notify, new { Channel = StoreChannels.Messages, Payload = topic });

    // Sent with the transaction already; every server, this one included, hears it.
    public override Task PublishedAsync(string topic) => Task.CompletedTask;
}
