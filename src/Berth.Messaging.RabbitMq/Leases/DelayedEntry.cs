using Berth.Core.Messaging;

namespace Berth.Messaging.RabbitMq.Leases;

/// <summary>A message this broker put in a delay queue, as listings and lookups show it until it comes back.</summary>
internal sealed record DelayedEntry(string Subscription, StoredMessage Message, int Deliveries, DateTimeOffset DueAt, string? LastError)
{
    public MessageEntry ToEntry() => new()
    {
        Id = Message.Id,
        Subscription = Subscription,
        Topic = Message.Topic,
        Key = Message.Key,
        State = DeliveryState.Ready,
        Deliveries = Deliveries,
        PublishedAt = Message.PublishedAt,
        NextDeliveryAt = DueAt,
        LastError = LastError,
    };
}
