using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sqlite;

/// <summary>One row of <c>messages</c> as Dapper reads it; <see cref="Seq"/> comes first, where a joined query splits.</summary>
internal sealed class BrokerMessageRow
{
    public const string Columns =
        "m.seq AS Seq, m.id AS Id, m.topic AS Topic, m.key AS Key, m.attributes AS Attributes, m.body AS Body, " +
        "m.published_at AS PublishedAt, m.publisher AS Publisher, m.dedupe_id AS DedupeId, m.correlation_id AS CorrelationId, " +
        "m.reply_to AS ReplyTo";

    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = BerthJson.MaximumDepth };

    public long Seq { get; init; }

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

    private string Owner => $"Message '{Id}'";

    public Dictionary<string, string> ReadAttributes() => StoredJson.Deserialize<Dictionary<string, string>>(Attributes, Owner, "attributes");

    public JsonNode? ReadBody()
    {
        try
        {
            return JsonNode.Parse(Body, documentOptions: BodyOptions);
        }
        catch (JsonException ex)
        {
            throw new StoredDataException($"{Owner} cannot be read: its body is not JSON ({ex.Message}). The database was probably edited by hand.", ex);
        }
    }

    public DateTimeOffset ReadPublishedAt() => StoredJson.Time(PublishedAt, Owner, "published_at");

    public StoredMessage ToStoredMessage() => new()
    {
        Id = Id,
        Topic = Topic,
        Key = Key,
        Attributes = ReadAttributes(),
        Body = ReadBody(),
        PublishedAt = ReadPublishedAt(),
        Publisher = Publisher,
        DedupeId = DedupeId,
        CorrelationId = CorrelationId,
        ReplyTo = ReplyTo,
    };

    /// <summary>The copy published to the topic's dead-letter topic: the same message, saying where and why it died.</summary>
    public PreparedMessage ToDeadLetter(string deadLetterTopic, string subscription, string reason)
    {
        var attributes = ReadAttributes();
        attributes[DeadLetterAttributes.Subscription] = subscription;
        attributes[DeadLetterAttributes.Reason] = reason;
        attributes[DeadLetterAttributes.Message] = Id;
        return new PreparedMessage(deadLetterTopic, Key, attributes, StoredJson.Serialize(attributes), Body, DeadLetterAttributes.Publisher, null, CorrelationId, ReplyTo);
    }
}
