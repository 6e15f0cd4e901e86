using System.Globalization;
using Berth.Core.Messaging;
using Berth.Storage.Mapping;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sql;

/// <summary>Dead letters: rows given up on, the copies published to a dead-letter topic, and requeueing.</summary>
internal sealed partial class EmbeddedMessageBroker
{
    private const string Kill =
        """
        UPDATE message_deliveries
        SET state = 'dead', visible_at = NULL, lease_until = NULL, on_expiry = NULL, ack_token = NULL, last_error = @Reason
        WHERE subscription = @Subscription AND seq = @Seq
        """;

    // Last leases that ended unacked, which are dead though no receive has written so yet; oldest lease first.
    private const string SelectExpiredLastLeases =
        $"""
        SELECT {DeliveryRow.Columns}, {BrokerMessageRow.Columns}
        FROM message_deliveries d JOIN messages m ON m.seq = d.seq
        WHERE d.state = 'leased' AND d.lease_until <= @Now AND d.on_expiry = 'dead' AND (@Subscription IS NULL OR d.subscription = @Subscription)
        ORDER BY d.lease_until
        LIMIT @Limit
        """;

    private const string RequeueAll =
        "UPDATE message_deliveries SET state = 'ready', delivery_count = 0, visible_at = @Now WHERE subscription = @Subscription AND state = 'dead'";


    private readonly string _requeueSome;

    public async Task<int> RequeueAsync(string subscription, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (ids is not null)
        {
            CheckCount(ids, "message ids");
        }

        Topology.Subscription(subscription);
        return await _writer.WriteAsync(async transaction =>
        {
            await SettleAsync(transaction, Topology, subscription, int.MaxValue);
            var parameters = new { Subscription = subscription, Now = StoredTime.Format(transaction.Now), Ids = ids?.ToArray() };
            return await transaction.ExecuteAsync(ids is null ? RequeueAll : _requeueSome, parameters);
        }, cancellationToken);
    }

    private static string RequeueSome(SqlDialect dialect) =>
        $"""
        UPDATE message_deliveries SET state = 'ready', delivery_count = 0, visible_at = @Now
        WHERE subscription = @Subscription AND state = 'dead' AND seq IN (SELECT seq FROM messages WHERE {dialect.InList("id", "@Ids")})
        """;

    private static string ExpiredReason(int deliveries) =>
        string.Create(CultureInfo.InvariantCulture, $"the lease expired before an ack, after {deliveries} deliveries");

    /// <summary>
    /// Makes dead the last leases of <paramref name="subscription"/> (of every subscription when null) that ended unacked,
    /// at most <paramref name="limit"/>; returns how many.
    /// </summary>
    private async Task<int> SettleAsync(BrokerTransaction transaction, BrokerTopology topology, string? subscription, int limit)
    {
        var expired = (await transaction.QueryAsync<DeliveryRow, BrokerMessageRow, (DeliveryRow Delivery, BrokerMessageRow Message)>(
            SelectExpiredLastLeases,
            (delivery, message) => (delivery, message),
            new { Subscription = subscription, Now = StoredTime.Format(transaction.Now), Limit = limit },
            splitOn: "Seq")).ToList();
        foreach (var (delivery, message) in expired)
        {
            await DeadLetterAsync(transaction, topology, delivery.Subscription, message, ExpiredReason(delivery.DeliveryCount));
        }

        return expired.Count;
    }

    /// <summary>Marks the row of <paramref name="message"/> dead and, when its topic names a declared dead-letter topic, publishes a copy there.</summary>
    private async Task DeadLetterAsync(BrokerTransaction transaction, BrokerTopology topology, string subscription, BrokerMessageRow message, string reason)
    {
        await transaction.ExecuteAsync(Kill, new { Subscription = subscription, message.Seq, Reason = reason });
        string? copy = null;
        if (topology.FindTopic(message.Topic)?.DeadLetter is { } deadLetter && topology.FindTopic(deadLetter) is not null)
        {
            copy = (await PublishAsync(transaction, topology, message.ToDeadLetter(deadLetter, subscription, reason))).Id;
        }

        LogDeadLettered(_logger, message.Id, subscription, reason, copy);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} is dead on subscription {Subscription} ({Reason}); dead-letter copy {CopyId}")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string subscription, string reason, string? copyId);
}
