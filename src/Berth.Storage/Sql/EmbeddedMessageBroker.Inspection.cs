using Berth.Core.Messaging;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>What operators see and clear: listings, a message by id, counts by state, and purges.</summary>
internal sealed partial class EmbeddedMessageBroker
{
    // Where a row stands now: a lease that has ended is already what it turns into, though no receive has written so yet.
    private const string EffectiveState = "(CASE WHEN d.state = 'leased' AND d.lease_until <= @Now THEN d.on_expiry ELSE d.state END)";

    private const string SelectEntries =
        $"""
        SELECT m.id AS Id, d.subscription AS Subscription, m.topic AS Topic, m.key AS Key, {EffectiveState} AS State,
               d.delivery_count AS Deliveries, m.published_at AS PublishedAt,
               CASE {EffectiveState} WHEN 'ready' THEN d.visible_at WHEN 'leased' THEN d.lease_until END AS NextDeliveryAt,
               CASE WHEN d.state = 'leased' AND d.lease_until <= @Now THEN '{LeaseExpired}' ELSE d.last_error END AS LastError
        FROM message_deliveries d JOIN messages m ON m.seq = d.seq
        """;

    private const string SelectStats =
        $"SELECT {EffectiveState} AS State, COUNT(*) AS Count FROM message_deliveries d WHERE d.subscription = @Subscription GROUP BY 1";

    private const string PurgeChunk =
        $"""
        DELETE FROM message_deliveries WHERE subscription = @Subscription AND seq IN (
            SELECT d.seq FROM message_deliveries d WHERE d.subscription = @Subscription AND (@State IS NULL OR {EffectiveState} = @State) LIMIT @Chunk)
        """;

    public async Task<IReadOnlyList<MessageEntry>> ListAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MessageLimits.MaxReceive);
        var filters = new List<string>();
        if (query.Id is not null)
        {
            filters.Add("m.id = @Id");
        }

        if (query.Subscription is not null)
        {
            filters.Add("d.subscription = @Subscription");
        }

        if (query.Topic is not null)
        {
            filters.Add("m.topic = @Topic");
        }

        if (query.State is not null)
        {
            filters.Add($"{EffectiveState} = @State");
        }

        var where = filters.Count == 0 ? "" : $"WHERE {string.Join(" AND ", filters)}";
        var parameters = new
        {
            query.Id,
            query.Subscription,
            query.Topic,
            State = query.State is { } state ? StoredEnum<DeliveryState>.ToText(state) : null,
            Now = StoredTime.Format(_time.GetUtcNow()),
            query.Limit,
        };
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MessageEntryRow>(new CommandDefinition(
            $"{SelectEntries} {where} ORDER BY d.seq, d.subscription LIMIT @Limit", parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    public async Task<StoredMessage?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BrokerMessageRow>(new CommandDefinition(
            $"SELECT {BrokerMessageRow.Columns} FROM messages m WHERE m.id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToStoredMessage();
    }

    public async Task<SubscriptionStats> StatsAsync(string subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Topology.Subscription(subscription);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            SelectStats, new { Subscription = subscription, Now = StoredTime.Format(_time.GetUtcNow()) }, cancellationToken: cancellationToken)))
            .ToDictionary(c => c.State, c => c.Count, StringComparer.Ordinal);
        return new SubscriptionStats(counts.GetValueOrDefault("ready"), counts.GetValueOrDefault("leased"), counts.GetValueOrDefault("dead"));
    }

    public async Task<int> PurgeAsync(string subscription, DeliveryState? state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Topology.Subscription(subscription);
        var stateText = state is { } value ? StoredEnum<DeliveryState>.ToText(value) : null;
        var total = 0;
        int purged;
        do
        {
            purged = await _writer.WriteAsync(async transaction =>
            {
                // A last lease that has ended is dead: it gets its dead-letter copy before it goes.
                await SettleAsync(transaction, Topology, subscription, int.MaxValue);
                var parameters = new { Subscription = subscription, State = stateText, Now = StoredTime.Format(transaction.Now), Chunk };
                return await transaction.ExecuteAsync(PurgeChunk, parameters);
            }, cancellationToken);
            total += purged;
        }
        while (purged >= Chunk);

        return total;
    }
}
