using Berth.Core.Messaging;
using Berth.Storage.Mapping;
using Berth.Storage.Sql;
using Dapper;

namespace Berth.Messaging.RabbitMq.Bookkeeping;

/// <summary>
/// What the RabbitMQ broker keeps in Berth's SQLite store (migration 0015): dedupe ids, dead letters, each queue's binding
/// and the delay queues each subscription has used. Writes go through <see cref="StoreDatabase.WriteAsync{T}"/> so a full disk reads as such.
/// </summary>
internal sealed class RabbitMqBookkeeping(StoreDatabase database)
{
    public async Task<string?> FindDedupeAsync(string topic, string dedupeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT message_id FROM rabbitmq_dedupe WHERE topic = @Topic AND dedupe_id = @DedupeId AND expires_at > @Now",
            new { Topic = topic, DedupeId = dedupeId, Now = StoredTime.Format(now) },
            cancellationToken: cancellationToken));
    }

    public Task RecordDedupeAsync(string topic, string dedupeId, string messageId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rabbitmq_dedupe (topic, dedupe_id, message_id, expires_at) VALUES (@Topic, @DedupeId, @MessageId, @ExpiresAt)
            ON CONFLICT (topic, dedupe_id) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at
            """,
            new { Topic = topic, DedupeId = dedupeId, MessageId = messageId, ExpiresAt = StoredTime.Format(expiresAt) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<int> ForgetDedupeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM rabbitmq_dedupe WHERE expires_at <= @Now", new { Now = StoredTime.Format(now) }, cancellationToken);

    public Task<int> ForgetTopicAsync(string topic, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM rabbitmq_dedupe WHERE topic = @Topic", new { Topic = topic }, cancellationToken);

    public Task AddDeadLetterAsync(string subscription, StoredMessage message, int deliveries, DateTimeOffset deadAt, string? lastError, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"""
            INSERT INTO rabbitmq_dead_letters ({Names}) VALUES ({Parameters})
            ON CONFLICT (subscription, id) DO UPDATE SET deliveries = excluded.deliveries, dead_at = excluded.dead_at, last_error = excluded.last_error
            """,
            DeadLetterRow.Parameters(subscription, message, deliveries, deadAt, lastError),
            cancellationToken);

    /// <summary>Dead letters, oldest first; each filter applies when not null.</summary>
    public async Task<IReadOnlyList<DeadLetterRow>> ListDeadLettersAsync(
        string? subscription, string? topic, string? id, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(
            $"""
            SELECT {DeadLetterRow.Columns} FROM rabbitmq_dead_letters
            WHERE (@Subscription IS NULL OR subscription = @Subscription) AND (@Topic IS NULL OR topic = @Topic) AND (@Id IS NULL OR id = @Id)
            ORDER BY published_at, id LIMIT @Limit
            """,
            new { Subscription = subscription, Topic = topic, Id = id, Limit = limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>The dead letters of <paramref name="subscription"/> with <paramref name="ids"/> (all when null), oldest first.</summary>
    public async Task<IReadOnlyList<DeadLetterRow>> DeadLettersOfAsync(string subscription, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(
            ids is null
                ? $"SELECT {DeadLetterRow.Columns} FROM rabbitmq_dead_letters WHERE subscription = @Subscription ORDER BY published_at, id"
                : $"SELECT {DeadLetterRow.Columns} FROM rabbitmq_dead_letters WHERE subscription = @Subscription AND {database.Dialect.InList("id", "@Ids")} ORDER BY published_at, id",
            new { Subscription = subscription, Ids = ids?.ToArray() },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public Task<int> DeleteDeadLetterAsync(string subscription, string id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM rabbitmq_dead_letters WHERE subscription = @Subscription AND id = @Id", new { Subscription = subscription, Id = id }, cancellationToken);

    public Task<int> DeleteDeadLettersAsync(string subscription, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM rabbitmq_dead_letters WHERE subscription = @Subscription", new { Subscription = subscription }, cancellationToken);

    public Task<int> DropDeadLettersPublishedBeforeAsync(string subscription, DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM rabbitmq_dead_letters WHERE subscription = @Subscription AND published_at < @Before",
            new { Subscription = subscription, Before = StoredTime.Format(before) },
            cancellationToken);

    public async Task<long> CountDeadLettersAsync(string subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM rabbitmq_dead_letters WHERE subscription = @Subscription", new { Subscription = subscription }, cancellationToken: cancellationToken));
    }

    /// <summary>The topic and filter (JSON) the queue of <paramref name="subscription"/> was last bound with, or null.</summary>
    public async Task<(string Topic, string Filter)?> BindingAsync(string subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Topic, string Filter)?>(new CommandDefinition(
            "SELECT topic AS Topic, filter AS Filter FROM rabbitmq_bindings WHERE subscription = @Subscription",
            new { Subscription = subscription },
            cancellationToken: cancellationToken));
        return row;
    }

    public Task<int> SetBindingAsync(string subscription, string topic, string filter, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO rabbitmq_bindings (subscription, topic, filter) VALUES (@Subscription, @Topic, @Filter)
            ON CONFLICT (subscription) DO UPDATE SET topic = excluded.topic, filter = excluded.filter
            """,
            new { Subscription = subscription, Topic = topic, Filter = filter },
            cancellationToken);

    public async Task<IReadOnlyList<long>> DelayQueuesAsync(string subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT delay_ms FROM rabbitmq_delay_queues WHERE subscription = @Subscription ORDER BY delay_ms",
            new { Subscription = subscription },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public Task<int> AddDelayQueueAsync(string subscription, long delayMs, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO rabbitmq_delay_queues (subscription, delay_ms) VALUES (@Subscription, @DelayMs) ON CONFLICT DO NOTHING",
            new { Subscription = subscription, DelayMs = delayMs },
            cancellationToken);

    /// <summary>Forgets everything kept for <paramref name="subscription"/>; returns how many dead letters went with it.</summary>
    public Task<int> ForgetSubscriptionAsync(string subscription, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var parameters = new { Subscription = subscription };
            var dead = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM rabbitmq_dead_letters WHERE subscription = @Subscription", parameters, transaction, cancellationToken: cancellationToken));
            var kept = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM rabbitmq_bindings WHERE subscription = @Subscription", parameters, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM rabbitmq_delay_queues WHERE subscription = @Subscription", parameters, transaction, cancellationToken: cancellationToken));
            return dead + kept;
        }, cancellationToken);

    private const string Names =
        "subscription, id, topic, key, attributes, body, published_at, publisher, dedupe_id, correlation_id, reply_to, deliveries, dead_at, last_error";

    private const string Parameters =
        "@Subscription, @Id, @Topic, @Key, @Attributes, @Body, @PublishedAt, @Publisher, @DedupeId, @CorrelationId, @ReplyTo, @Deliveries, @DeadAt, @LastError";

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)), cancellationToken);
}
