using Berth.Core.Messaging;

namespace Berth.Client.Contracts;

/// <summary>One message with its body, and where it stands with each subscription that holds it (<c>GET /api/v1/messages/{id}</c>).</summary>
public sealed record MessageDetail
{
    /// <summary>The message.</summary>
    public required StoredMessage Message { get; init; }

    /// <summary>One entry per subscription that still holds it; empty once every one acked it.</summary>
    public IReadOnlyList<MessageEntry> Deliveries { get; init; } = [];
}
