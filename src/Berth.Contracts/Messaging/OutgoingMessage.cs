using System.Text.Json.Nodes;

namespace Berth.Core.Messaging;

/// <summary>A message as it is published, before the broker gives it an id.</summary>
public sealed record OutgoingMessage
{
    /// <summary>The body: any JSON value. Null is the JSON <c>null</c>.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>The ordering key: on a topic with <c>ordering: key</c>, one key's messages are delivered in order. Null: none.</summary>
    public string? Key { get; init; }

    /// <summary>Attributes subscriptions filter on, name to value. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The publisher's own id (<c>Message-Id</c>): a repeat within the topic's dedupe window is a no-op. Null: none.</summary>
    public string? DedupeId { get; init; }

    /// <summary>Who published: <c>token:NAME</c>, <c>agent:NAME</c>, <c>run:ID</c> or <c>berth</c>.</summary>
    public required string Publisher { get; init; }

    /// <summary>Ties a reply to its request; null when the message is neither.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The mailbox (<c>agent/NAME</c>) a reply to this message goes to; null when no reply is expected there.</summary>
    public string? ReplyTo { get; init; }
}
