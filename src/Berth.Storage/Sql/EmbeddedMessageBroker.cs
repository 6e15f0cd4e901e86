using Berth.Core.Storage;
using Berth.Core.Messaging;
using Berth.Storage.Mapping;
using Berth.Storage.Postgres;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sql;

/// <summary>
/// The embedded broker: messages, one delivery row per subscription, and dedupe ids in the server's store (SQLite migration
/// 0014, or the PostgreSQL schema, which several servers may share). Every write goes through an <see cref="IBrokerWriter"/>:
/// on SQLite one <see cref="SqliteBrokerWriter"/>, which commits concurrent publishes, receives and acks together; on
/// PostgreSQL a <see cref="PostgresBrokerWriter"/>, a transaction per piece of work. Reads (listings, stats, a message by id)
/// use their own connections. The topology lives in memory, as the server declares it at start and after every change; rows
/// of topics and subscriptions it stops naming stay until removed.
/// </summary>
internal sealed partial class EmbeddedMessageBroker : IMessageBroker, IMessageArrivals, IAsyncDisposable
{
    private const int Chunk = 1000;

    private const string SelectDuplicate =
        "SELECT message_id FROM message_dedupe WHERE topic = @Topic AND dedupe_id = @DedupeId AND seen_at > @Since";

    private const string InsertMessage =
        """
        INSERT INTO messages (id, topic, key, attributes, body, published_at, publisher, dedupe_id, correlation_id, reply_to)
        VALUES (@Id, @Topic, @Key, @AttributesJson, @BodyJson, @Now, @Publisher, @DedupeId, @CorrelationId, @ReplyTo)
        RETURNING seq
        """;

    private const string InsertDelivery =
        """
        INSERT INTO message_deliveries (subscription, seq, ordering_key, state, delivery_count, visible_at)
        VALUES (@Subscription, @Seq, @OrderingKey, 'ready', 0, @Now)
        """;

    private const string RememberDedupeId =
        """
        INSERT INTO message_dedupe (topic, dedupe_id, message_id, seen_at) VALUES (@Topic, @DedupeId, @Id, @Now)
        ON CONFLICT (topic, dedupe_id) DO UPDATE SET message_id = excluded.message_id, seen_at = excluded.seen_at
        """;

    private readonly StoreDatabase _connections;
    private readonly TimeProvider _time;
    private readonly ILogger<EmbeddedMessageBroker> _logger;
    private readonly IBrokerWriter _writer;
    private readonly MessageArrivals _arrivals;
    private readonly Lock _topologyChange = new();
    private BrokerTopology _topology = BrokerTopology.Empty;

    public EmbeddedMessageBroker(StoreDatabase connections, IStoreSignals signals, TimeProvider timeProvider, ILogger<EmbeddedMessageBroker> logger)
    {
        _connections = connections;
        _time = timeProvider;
        _logger = logger;
        (_writer, _arrivals) = connections switch
        {
            SqliteDatabase sqlite => ((IBrokerWriter)new SqliteBrokerWriter(sqlite, timeProvider), new MessageArrivals(signals)),
            PostgresDatabase postgres => (new PostgresBrokerWriter(postgres, timeProvider), new PostgresMessageArrivals(signals)),
            _ => throw new ArgumentException($"the embedded broker cannot run on {connections.GetType().Name}", nameof(connections)),
        };
        (_selectCandidates, _selectCandidatesByKey) = (SelectCandidates(connections.Dialect), SelectCandidatesByKey(connections.Dialect));
        (_dropPastRetention, _forgetDedupeIds) = (DropPastRetention(connections.Dialect), ForgetDedupeIds(connections.Dialect));
        _requeueSome = RequeueSome(connections.Dialect);
    }

    public string Name => "embedded";

    /// <summary>The topology as declared now; work reads it when it runs, so it sees every change queued before it.</summary>
    private BrokerTopology Topology => Volatile.Read(ref _topology);

    public Task DeclareAsync(MessageTopology topology, CancellationToken cancellationToken)
    {
        var declared = BrokerTopology.From(topology);
        lock (_topologyChange)
        {
            Volatile.Write(ref _topology, declared);
        }

        return Task.CompletedTask;
    }

    public async Task<bool> RemoveSubscriptionAsync(string subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        bool declared;
        lock (_topologyChange)
        {
            declared = _topology.HasSubscription(subscription);
            Volatile.Write(ref _topology, _topology.WithoutSubscription(subscription));
        }

        // Queued after the change: no publish that runs later can add a row for it.
        var dropped = await DeleteInChunksAsync(
            "DELETE FROM message_deliveries WHERE subscription = @Name AND seq IN (SELECT seq FROM message_deliveries WHERE subscription = @Name LIMIT @Chunk)",
            new { Name = subscription, Chunk },
            cancellationToken);
        return declared || dropped > 0;
    }

    public async Task<bool> RemoveTopicAsync(string topic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        bool declared;
        lock (_topologyChange)
        {
            declared = _topology.FindTopic(topic) is not null;
            Volatile.Write(ref _topology, _topology.WithoutTopic(topic));
        }

        // Dropping a message drops its delivery rows with it (ON DELETE CASCADE).
        var parameters = new { Name = topic, Chunk };
        var dropped = await DeleteInChunksAsync(
            "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE topic = @Name LIMIT @Chunk)", parameters, cancellationToken);
        dropped += await DeleteInChunksAsync(
            "DELETE FROM message_dedupe WHERE topic = @Name AND dedupe_id IN (SELECT dedupe_id FROM message_dedupe WHERE topic = @Name LIMIT @Chunk)",
            parameters,
            cancellationToken);
        return declared || dropped > 0;
    }

    public async Task<PublishResult> PublishAsync(string topic, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Topology.Topic(topic);
        var prepared = PreparedMessage.From(topic, message);
        var result = await _writer.WriteAsync(async transaction =>
        {
            var published = await PublishAsync(transaction, Topology, prepared);
            if (!published.Duplicate)
            {
                await _arrivals.PublishingAsync(transaction, topic);
            }

            return published;
        }, cancellationToken);
        if (!result.Duplicate)
        {
            await _arrivals.PublishedAsync(topic);
        }

        return result;
    }

    // Dead-letter copies are not announced: their consumers find them at their next recheck.
    public Task<IDisposable> SubscribeAsync(Action<string> arrived, CancellationToken cancellationToken) => _arrivals.SubscribeAsync(arrived, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
    }

    /// <summary>Stores <paramref name="message"/> and a ready row for each subscription of its topic whose filter matches.</summary>
    private static async Task<PublishResult> PublishAsync(BrokerTransaction transaction, BrokerTopology topology, PreparedMessage message)
    {
        var topic = topology.Topic(message.Topic);
        var now = StoredTime.Format(transaction.Now);
        var dedupe = message.DedupeId is not null && topic.DedupeWindow > TimeSpan.Zero;
        if (dedupe)
        {
            var since = StoredTime.Format(transaction.Now - topic.DedupeWindow);
            var first = await transaction.SingleOrDefaultAsync<string>(SelectDuplicate, new { message.Topic, message.DedupeId, Since = since });
            if (first is not null)
            {
                return new PublishResult(first, Duplicate: true);
            }
        }

        var id = Guid.CreateVersion7(transaction.Now).ToString("N");
        var seq = await transaction.ScalarAsync<long>(InsertMessage, new
        {
            Id = id,
            message.Topic,
            message.Key,
            message.AttributesJson,
            message.BodyJson,
            Now = now,
            message.Publisher,
            message.DedupeId,
            message.CorrelationId,
            message.ReplyTo,
        });
        var orderingKey = topic.Ordering == MessageOrdering.Key ? message.Key : null;
        foreach (var subscription in topology.SubscriptionsOf(topic.Name).Where(s => MessageFilter.Matches(s.Filter, message.Attributes)))
        {
            await transaction.ExecuteAsync(InsertDelivery, new { Subscription = subscription.Name, Seq = seq, OrderingKey = orderingKey, Now = now });
        }

        if (dedupe)
        {
            await transaction.ExecuteAsync(RememberDedupeId, new { message.Topic, message.DedupeId, Id = id, Now = now });
        }

        return new PublishResult(id, Duplicate: false);
    }

    /// <summary>Runs a <c>DELETE … LIMIT @Chunk</c> until it deletes less than a chunk, a transaction per chunk so publishes interleave.</summary>
    private async Task<long> DeleteInChunksAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            deleted = await _writer.WriteAsync(transaction => transaction.ExecuteAsync(sql, parameters), cancellationToken);
            total += deleted;
        }
        while (deleted >= Chunk);

        return total;
    }
}
