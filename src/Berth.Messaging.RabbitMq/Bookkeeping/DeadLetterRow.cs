using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Storage.Mapping;

namespace Berth.Messaging.RabbitMq.Bookkeeping;

/// <summary>One row of <c>rabbitmq_dead_letters</c> as Dapper reads it.</summary>
internal sealed class DeadLetterRow
{
    public const string Columns =
        "subscription AS Subscription, id AS Id, topic AS Topic, key AS Key, attributes AS Attributes, body AS Body, " +
        "published_at AS PublishedAt, publisher AS Publisher, dedupe_id AS DedupeId, correlation_id AS CorrelationId, " +
        "reply_to AS ReplyTo, deliveries AS Deliveries, dead_at AS DeadAt, last_error AS LastError";

    public string Subscription { get; init; } = "";

    public string Id { get; init; } = "";

    public string Topic { get; init; } = "";

    public string? Key { get; init; }

    public string Attributes { get; init; } = "{}";

    public string Body { get; init; } = "null";

    public string PublishedAt { get; init; } = "";

    public string Publisher { get; init; } = "";

    public string? DedupeId { get; init; }

    public string? CorrelationId { get; init; }

    public string? ReplyTo { get; init; }

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

    public StoredMessage ToMessage() => new()
    {
        Id = Id,
        Topic = Topic,
        Key = Key,
        Attributes = JsonSerializer.Deserialize<Dictionary<string, string>>(Attributes) ?? [],
        Body = JsonNode.Parse(Body),
        PublishedAt = Time(PublishedAt),
        Publisher = Publisher,
        DedupeId = DedupeId,
        CorrelationId = CorrelationId,
        ReplyTo = ReplyTo,
    };

    public MessageEntry ToEntry() => new()
    {
        Id = Id,
        Subscription = Subscription,
        Topic = Topic,
        Key = Key,
        State = DeliveryState.Dead,
        Deliveries = (int)Deliveries,
        PublishedAt = Time(PublishedAt),
        LastError = LastError,
    };

    private static DateTimeOffset Time(string text) =>
        StoredTime.TryParse(text, out var time) ? time : throw new InvalidDataException($"rabbitmq_dead_letters holds an unreadable time '{text}'");
}
