namespace Berth.Core.Messaging;

/// <summary>One message held for one subscription, as listings show it (never the body).</summary>
public sealed record MessageEntry
{
    /// <summary>The message's id.</summary>
    public required string Id { get; init; }

    /// <summary>The subscription that holds it.</summary>
    public required string Subscription { get; init; }

    /// <summary>The topic it was published to.</summary>
    public required string Topic { get; init; }

    /// <summary>The ordering key; null when none.</summary>
    public string? Key { get; init; }

    /// <summary>Where it stands.</summary>
    public required DeliveryState State { get; init; }

    /// <summary>Deliveries so far.</summary>
    public required int Deliveries { get; init; }

    /// <summary>When it was published.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>Ready: when it may be delivered next; leased: when the lease ends; dead: null.</summary>
    public DateTimeOffset? NextDeliveryAt { get; init; }

    /// <summary>Why the last delivery failed (a nack's reason, an expired lease, a push answer); null when none did.</summary>
    public string? LastError { get; init; }
}
