using System.Text.Json.Nodes;

namespace Berth.Client.Contracts;

/// <summary>
/// The body of a publish (<c>POST /api/v1/topics/{name}/messages</c>), of mail (<c>POST /api/v1/mailboxes/{agent}/messages</c>),
/// of a request and of a reply.
/// </summary>
public sealed record PublishRequest
{
    /// <summary>The message body: any JSON value, at most 256 KiB.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>The ordering key; null for none.</summary>
    public string? Key { get; init; }

    /// <summary>Attributes subscriptions filter on; null for none.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>The publisher's message id (also accepted as the <c>Message-Id</c> header): a repeat within the dedupe window is a no-op.</summary>
    public string? Id { get; init; }
}
