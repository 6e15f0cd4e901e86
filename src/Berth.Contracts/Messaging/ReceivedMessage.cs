using System.Text.Json.Nodes;

namespace Berth.Core.Messaging;

/// <summary>A message leased to one consumer of a subscription: ack it with <see cref="AckId"/> before <see cref="LeaseExpiresAt"/>.</summary>
public sealed record ReceivedMessage
{
    /// <summary>The message's id.</summary>
    public required string Id { get; init; }

    /// <summary>The subscription it was delivered from.</summary>
    public required string Subscription { get; init; }

    /// <summary>The topic it was published to.</summary>
    public required string Topic { get; init; }

    /// <summary>The ordering key; null when none.</summary>
    public string? Key { get; init; }

    /// <summary>Its attributes.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The body.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>When it was published.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>Who published it.</summary>
    public required string Publisher { get; init; }

    /// <summary>Ties a reply to its request; null when none.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Where a reply goes; null when none.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Which delivery this is to the subscription: 1 the first time.</summary>
    public required int Delivery { get; init; }

    /// <summary>The handle that acks or nacks this delivery; it stops working once the lease expires.</summary>
    public required string AckId { get; init; }

    /// <summary>When the lease ends and the message is delivered again unless acked.</summary>
    public required DateTimeOffset LeaseExpiresAt { get; init; }
}
