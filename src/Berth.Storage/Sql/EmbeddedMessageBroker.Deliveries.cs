using Berth.Core.Messaging;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>Leases, acks and nacks: the consumer's side of the embedded broker.</summary>
internal sealed partial class EmbeddedMessageBroker
{
    private const string LeaseExpired = "the lease expired before an ack";

    private readonly string _selectCandidates;
    private readonly string _selectCandidatesByKey;

    private const string Lease =
        """
        UPDATE message_deliveries
        SET state = 'leased', delivery_count = @Count, lease_until = @LeaseUntil, visible_at = @VisibleAt, on_expiry = @OnExpiry,
            ack_token = @Token, last_error = CASE WHEN state = 'leased' THEN @Expired ELSE last_error END
        WHERE subscription = @Subscription AND seq = @Seq
        """;

    private const string Ack =
        """
        DELETE FROM message_deliveries
        WHERE subscription = @Subscription AND seq = @Seq AND ack_token = @Token AND state = 'leased' AND lease_until > @Now
        """;

    private const string SelectLeased =
        $"""
        SELECT {DeliveryRow.Columns}, {BrokerMessageRow.Columns}
        FROM message_deliveries d JOIN messages m ON m.seq = d.seq
        WHERE d.subscription = @Subscription AND d.seq = @Seq AND d.ack_token = @Token AND d.state = 'leased' AND d.lease_until > @Now
        """;

    private const string GiveBack =
        """
        UPDATE message_deliveries
        SET state = 'ready', visible_at = @VisibleAt, lease_until = NULL, on_expiry = NULL, ack_token = NULL, last_error = @Reason
        WHERE subscription = @Subscription AND seq = @Seq
        """;

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string subscription, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MessageLimits.MaxReceive);
        Topology.Subscription(subscription);
        return await _writer.ClaimAsync(transaction => LeaseAsync(transaction, Topology, subscription, max), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> AckAsync(string subscription, IReadOnlyList<string> ackIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        CheckCount(ackIds, "ack ids");
        Topology.Subscription(subscription);
        var held = ackIds.Distinct(StringComparer.Ordinal).Select(text => (Text: text, Valid: AckId.TryParse(text, out var id), Id: id)).Where(a => a.Valid).ToList();
        if (held.Count == 0)
        {
            return [];
        }

        return await _writer.WriteAsync<IReadOnlyList<string>>(async transaction =>
        {
            var now = StoredTime.Format(transaction.Now);
            var acked = new List<string>(held.Count);
            foreach (var (text, _, id) in held)
            {
                if (await transaction.ExecuteAsync(Ack, new { Subscription = subscription, id.Seq, id.Token, Now = now }) > 0)
                {
                    acked.Add(text);
                }
            }

            return acked;
        }, cancellationToken);
    }

    public async Task<bool> NackAsync(string subscription, string ackId, TimeSpan? delay, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (delay is { } wait && (wait < TimeSpan.Zero || wait > TopicSpecValidator.MaxRetention))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, $"expected a delay from 0 to {TopicSpecValidator.MaxRetention.TotalDays} days");
        }

        Topology.Subscription(subscription);
        if (!AckId.TryParse(ackId, out var id))
        {
            return false;
        }

        var why = Printable(reason);
        return await _writer.WriteAsync(transaction => GiveBackAsync(transaction, Topology, subscription, id, delay, why), cancellationToken);
    }

    // Rows whose time has come, oldest first: ready ones, and leased ones whose lease (and backoff) has ended. INDEXED BY: without
    // statistics SQLite's planner prefers the primary key, which also walks the dead rows. On PostgreSQL the rows are locked,
    // skipping those another server's receive holds (see PostgresBrokerWriter).
    private static string SelectCandidates(SqlDialect dialect) =>
        $"""
        SELECT {DeliveryRow.Columns}, {BrokerMessageRow.Columns}
        FROM message_deliveries d {dialect.IndexedBy("ix_message_deliveries_receive")} JOIN messages m ON m.seq = d.seq
        WHERE d.subscription = @Subscription AND d.state <> 'dead' AND d.visible_at <= @Now
        ORDER BY d.seq
        LIMIT @Limit
        {dialect.LockRowsOf("d", skipLocked: true)}
        """;

    // The same on a topic ordered by key: a row also waits while an earlier row of its key is held, unless that one is dead
    // or a last lease that has ended (dead, though not written so yet). On PostgreSQL an earlier row another receive holds
    // locked still counts as held: the NOT EXISTS reads it as committed before that receive, when it was not dead either.
    private static string SelectCandidatesByKey(SqlDialect dialect) =>
        $"""
        SELECT {DeliveryRow.Columns}, {BrokerMessageRow.Columns}
        FROM message_deliveries d {dialect.IndexedBy("ix_message_deliveries_receive")} JOIN messages m ON m.seq = d.seq
        WHERE d.subscription = @Subscription AND d.state <> 'dead' AND d.visible_at <= @Now
          AND (d.ordering_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM message_deliveries e {dialect.IndexedBy("ix_message_deliveries_key")}
              WHERE e.subscription = d.subscription AND e.ordering_key = d.ordering_key AND e.seq < d.seq AND e.state <> 'dead'
                AND NOT (e.state = 'leased' AND e.lease_until <= @Now AND e.on_expiry = 'dead')))
        ORDER BY d.seq
        LIMIT @Limit
        {dialect.LockRowsOf("d", skipLocked: true)}
        """;

    private static void CheckCount<T>(IReadOnlyCollection<T> items, string what)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count > MessageLimits.MaxReceive)
        {
            throw new ArgumentException($"{items.Count} {what}; at most {MessageLimits.MaxReceive} are allowed at once", nameof(items));
        }
    }

    /// <summary>A reason as stored and sent on as an attribute: at most 256 characters, control characters made spaces.</summary>
    private static string? Printable(string? reason) =>
        string.IsNullOrEmpty(reason)
            ? null
            : new string([.. reason.Take(MessageLimits.MaxTextLength).Select(c => char.IsControl(c) ? ' ' : c)]);

    private async Task<IReadOnlyList<ReceivedMessage>> LeaseAsync(BrokerTransaction transaction, BrokerTopology topology, string name, int max)
    {
        var (subscription, topic) = topology.Subscription(name);
        var leased = new List<ReceivedMessage>();
        while (leased.Count < max)
        {
            var candidates = await transaction.QueryAsync<DeliveryRow, BrokerMessageRow, (DeliveryRow Delivery, BrokerMessageRow Message)>(
                topic.Ordering == MessageOrdering.Key ? _selectCandidatesByKey : _selectCandidates,
                (delivery, message) => (delivery, message),
                new { Subscription = name, Now = StoredTime.Format(transaction.Now), Limit = max - leased.Count },
                splitOn: "Seq");
            var died = false;
            foreach (var (delivery, message) in candidates)
            {
                if (delivery.DiesOnExpiry)
                {
                    // Dead now; the next query may find the row of its key that it held back.
                    await DeadLetterAsync(transaction, topology, name, message, ExpiredReason(delivery.DeliveryCount));
                    died = true;
                }
                else
                {
                    leased.Add(await LeaseAsync(transaction, subscription, topic, delivery, message));
                }
            }

            if (!died)
            {
                break;
            }
        }

        return leased;
    }

    private static async Task<ReceivedMessage> LeaseAsync(
        BrokerTransaction transaction, SubscriptionSpec subscription, TopicSpec topic, DeliveryRow delivery, BrokerMessageRow message)
    {
        var count = delivery.DeliveryCount + 1;
        var leaseUntil = transaction.Now + topic.VisibilityTimeout;
        var last = count >= topic.MaxDeliveries;
        var token = AckId.NewToken();
        await transaction.ExecuteAsync(Lease, new
        {
            Subscription = subscription.Name,
            message.Seq,
            Count = count,
            LeaseUntil = StoredTime.Format(leaseUntil),

            // A lease that ends unacked is delivered again after the backoff, or is dead at once when it was the last one.
            VisibleAt = StoredTime.Format(last ? leaseUntil : leaseUntil + subscription.Retry.DelayAfter(count)),
            OnExpiry = last ? "dead" : "ready",
            Token = token,
            Expired = LeaseExpired,
        });
        return new ReceivedMessage
        {
            Id = message.Id,
            Subscription = subscription.Name,
            Topic = message.Topic,
            Key = message.Key,
            Attributes = message.ReadAttributes(),
            Body = message.ReadBody(),
            PublishedAt = message.ReadPublishedAt(),
            Publisher = message.Publisher,
            CorrelationId = message.CorrelationId,
            ReplyTo = message.ReplyTo,
            Delivery = count,
            AckId = new AckId(message.Seq, token).ToString(),
            LeaseExpiresAt = leaseUntil,
        };
    }

    private async Task<bool> GiveBackAsync(
        BrokerTransaction transaction, BrokerTopology topology, string name, AckId id, TimeSpan? delay, string? reason)
    {
        var (subscription, topic) = topology.Subscription(name);
        var parameters = new { Subscription = name, id.Seq, id.Token, Now = StoredTime.Format(transaction.Now) };
        var held = (await transaction.QueryAsync<DeliveryRow, BrokerMessageRow, (DeliveryRow Delivery, BrokerMessageRow Message)>(
            SelectLeased, (delivery, message) => (delivery, message), parameters, splitOn: "Seq")).ToList();
        if (held.Count == 0)
        {
            return false;
        }

        var (delivery, message) = held[0];
        if (delivery.DeliveryCount >= topic.MaxDeliveries)
        {
            await DeadLetterAsync(transaction, topology, name, message, reason ?? $"nacked after {delivery.DeliveryCount} deliveries");
            return true;
        }

        var visibleAt = transaction.Now + (delay ?? subscription.Retry.DelayAfter(delivery.DeliveryCount));
        await transaction.ExecuteAsync(GiveBack, new { Subscription = name, id.Seq, VisibleAt = StoredTime.Format(visibleAt), Reason = reason ?? "nacked" });
        return true;
    }
}
