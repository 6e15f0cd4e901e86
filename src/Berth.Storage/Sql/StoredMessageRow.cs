using System.Text.Json.Nodes;
using System.Text.Json;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>
/// The columns of a stored message as Dapper reads them (the embedded broker's <c>messages</c>, RabbitMQ's dead letters), and
/// the one reading of them: a value that does not parse is a <see cref="StoredDataException"/> naming the message and column.
/// </summary>
internal abstract class StoredMessageRow
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = BerthJson.MaximumDepth };

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

    protected string Owner => $"Message '{Id}'";

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
}
