using System.Text.Json.Nodes;

namespace Berth.Core.Messaging;

/// <summary>A committed message: what was published, with its id and time.</summary>
public sealed record StoredMessage
{
    /// <summary>The broker's id of the message.</summary>
    public required string Id { get; init; }

    /// <summary>The topic it was published to (<c>agent/NAME</c> for a mailbox).</summary>
    public required string Topic { get; init; }

    /// <summary>The ordering key; null when none.</summary>
    public string? Key { get; init; }

    /// <summary>Its attributes.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The body.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>When it was committed.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>Who published it.</summary>
    public required string Publisher { get; init; }

    /// <summary>The publisher's <c>Message-Id</c>; null when none was given.</summary>
    public string? DedupeId { get; init; }

    /// <summary>Ties a reply to its request; null when none.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Where a reply goes; null when none.</summary>
    public string? ReplyTo { get; init; }
}
