using System.Text.Json;
using Berth.Core.Messaging;
using Berth.Storage.Mapping;
using Berth.Storage.Sql;

namespace Berth.Messaging.RabbitMq.Bookkeeping;

/// <summary>One row of <c>rabbitmq_dead_letters</c> as Dapper reads it.</summary>
internal sealed class DeadLetterRow : StoredMessageRow
{
    public const string Columns =
        "subscription AS Subscription, id AS Id, topic AS Topic, key AS Key, attributes AS Attributes, body AS Body, " +
        "published_at AS PublishedAt, publisher AS Publisher, dedupe_id AS DedupeId, correlation_id AS CorrelationId, " +
        "reply_to AS ReplyTo, deliveries AS Deliveries, dead_at AS DeadAt, last_error AS LastError";

    public string Subscription { get; init; } = "";

    public long Deliveries { get; init; }

    public string DeadAt { get; init; } = "";

    public string? LastError { get; init; }

    public static object Parameters(string subscription, StoredMessage message, int deliveries, DateTimeOffset deadAt, string? lastError) => new
    {
        Subscription = subscription,
        message.Id,
        message.Topic,
        message.Key,
        Attributes = JsonSerializer.Serialize(message.Attributes),
        Body = message.Body?.ToJsonString() ?? "null",
        PublishedAt = StoredTime.Format(message.PublishedAt),
        message.Publisher,
        message.DedupeId,
        message.CorrelationId,
        message.ReplyTo,
        Deliveries = deliveries,
        DeadAt = StoredTime.Format(deadAt),
        LastError = lastError,
    };

    public MessageEntry ToEntry() => new()
    {
        Id = Id,
        Subscription = Subscription,
        Topic = Topic,
        Key = Key,
        State = DeliveryState.Dead,
        Deliveries = (int)Deliveries,
        PublishedAt = ReadPublishedAt(),
        LastError = LastError,
    };
}
