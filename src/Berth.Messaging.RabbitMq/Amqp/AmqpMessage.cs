using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq.Amqp;

/// <summary>
/// How a message is carried in RabbitMQ: the body is its JSON text; Berth's fields ride as <c>x-berth-*</c> headers (long
/// strings: a key, correlation id or Message-Id may be longer than an AMQP short-string property allows) and attributes as
/// <c>attr.NAME</c> headers, which the topic's headers exchange matches against each subscription's filter. The prefix keeps
/// an attribute from ever colliding with Berth's headers or with the <c>x-</c> headers RabbitMQ leaves out of matching.
/// Persistent, with the message id, a JSON content type and (where it fits an AMQP short string) the correlation id and
/// reply-to as standard properties for other AMQP clients.
/// </summary>
internal static class AmqpMessage
{
    public const string AttributePrefix = "attr.";
    private const string TopicHeader = "x-berth-topic";
    private const string KeyHeader = "x-berth-key";
    private const string PublisherHeader = "x-berth-publisher";
    private const string PublishedAtHeader = "x-berth-published-at";
    private const string DedupeIdHeader = "x-berth-dedupe-id";
    private const string CorrelationIdHeader = "x-berth-correlation-id";
    private const string ReplyToHeader = "x-berth-reply-to";
    private const string DeliveriesHeader = "x-berth-deliveries";
    private const string LastErrorHeader = "x-berth-last-error";
    private const int MaxShortString = 255;
    private const int MaxErrorLength = 1024;

    /// <summary>The properties that carry <paramref name="message"/> after <paramref name="deliveries"/> deliveries.</summary>
    public static BasicProperties Properties(StoredMessage message, int deliveries, string? lastError)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [TopicHeader] = message.Topic,
            [PublisherHeader] = message.Publisher,
            [PublishedAtHeader] = message.PublishedAt.ToUnixTimeMilliseconds(),
        };
        AddIfSet(headers, KeyHeader, message.Key);
        AddIfSet(headers, DedupeIdHeader, message.DedupeId);
        AddIfSet(headers, CorrelationIdHeader, message.CorrelationId);
        AddIfSet(headers, ReplyToHeader, message.ReplyTo);
        if (deliveries > 0)
        {
            headers[DeliveriesHeader] = deliveries;
        }

        AddIfSet(headers, LastErrorHeader, Bounded(lastError));
        foreach (var (name, value) in message.Attributes)
        {
            headers[AttributePrefix + name] = value;
        }

        return new BasicProperties
        {
            MessageId = message.Id,
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(message.PublishedAt.ToUnixTimeSeconds()),
            CorrelationId = FitsShortString(message.CorrelationId) ? message.CorrelationId : null,
            ReplyTo = FitsShortString(message.ReplyTo) ? message.ReplyTo : null,
            Headers = headers,
        };
    }

    /// <summary>The body as it is sent: the JSON text of <paramref name="body"/> (<c>null</c> for none).</summary>
    public static byte[] Body(JsonNode? body) => Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null");

    /// <summary>The binding arguments that route to a subscription with <paramref name="filter"/>: every attribute, exactly.</summary>
    public static Dictionary<string, object?> BindingArguments(IReadOnlyDictionary<string, string> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-match"] = "all" };
        foreach (var (name, value) in filter)
        {
            arguments[AttributePrefix + name] = value;
        }

        return arguments;
    }

    /// <summary>
    /// Reads what RabbitMQ delivered. Lenient, since anyone allowed on the exchange may publish to it: a missing id gets a new
    /// one, a missing time the AMQP timestamp, a body that is not JSON becomes a JSON string.
    /// </summary>
    public static CarriedMessage Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, string topic, Func<string> newId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(newId);
        var headers = properties.Headers ?? new Dictionary<string, object?>();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith(AttributePrefix, StringComparison.Ordinal) && Text(value) is { } text)
            {
                attributes[name[AttributePrefix.Length..]] = text;
            }
        }

        var publishedAt = Number(headers, PublishedAtHeader) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : properties.IsTimestampPresent() ? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime) : now;
        var message = new StoredMessage
        {
            Id = string.IsNullOrEmpty(properties.MessageId) ? newId() : properties.MessageId,
            Topic = Header(headers, TopicHeader) ?? topic,
            Key = Header(headers, KeyHeader),
            Attributes = attributes,
            Body = ParseBody(body),
            PublishedAt = publishedAt,
            Publisher = Header(headers, PublisherHeader) ?? "amqp",
            DedupeId = Header(headers, DedupeIdHeader),
            CorrelationId = Header(headers, CorrelationIdHeader) ?? properties.CorrelationId,
            ReplyTo = Header(headers, ReplyToHeader) ?? properties.ReplyTo,
        };
        var deliveries = (int)Math.Clamp(Number(headers, DeliveriesHeader) ?? 0, 0, int.MaxValue);
        return new CarriedMessage(message, deliveries, Header(headers, LastErrorHeader));
    }

    /// <summary><paramref name="error"/> cut to a bounded length with control characters replaced, or null.</summary>
    public static string? Bounded(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return null;
        }

        var cut = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        return new string([.. cut.Select(c => char.IsControl(c) ? ' ' : c)]);
    }

    private static JsonNode? ParseBody(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return JsonValue.Create(Encoding.UTF8.GetString(body.Span));
        }
    }

    private static void AddIfSet(Dictionary<string, object?> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers[name] = value;
        }
    }

    private static bool FitsShortString(string? value) => value is not null && Encoding.UTF8.GetByteCount(value) <= MaxShortString;

    private static string? Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? Text(value) : null;

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };

    private static long? Number(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            uint u => u,
            byte[] bytes when long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;
}
