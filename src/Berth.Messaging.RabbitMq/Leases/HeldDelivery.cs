using Berth.Core.Messaging;

namespace Berth.Messaging.RabbitMq.Leases;

/// <summary>
/// A delivery Berth holds unacked on a subscription's channel. If Berth dies, RabbitMQ puts every one of them back where it
/// was in the queue, so nothing is lost and a key's messages keep their order.
/// </summary>
internal sealed class HeldDelivery(ulong tag, StoredMessage message, int deliveries, string? lastError)
{
    /// <summary>The delivery tag on the channel it came from.</summary>
    public ulong Tag { get; private set; } = tag;

    /// <summary>When RabbitMQ delivered it (<see cref="Environment.TickCount64"/>): RabbitMQ's consumer timeout counts from then.</summary>
    public long TakenAt { get; private set; } = Environment.TickCount64;

    public StoredMessage Message { get; } = message;

    /// <summary>Deliveries so far, the lease under way included.</summary>
    public int Deliveries { get; private set; } = deliveries;

    public string? LastError { get; private set; } = lastError;

    public HeldState State { get; private set; } = HeldState.HeldBack;

    public string? AckId { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>True when a receive may deliver it now (its key permitting).</summary>
    public bool IsReady(DateTimeOffset now) => State == HeldState.HeldBack || (State == HeldState.Waiting && DueAt <= now);

    /// <summary>True when its lease has run out and it has not been given back yet.</summary>
    public bool IsExpired(DateTimeOffset now) => State == HeldState.Leased && LeaseExpiresAt <= now;

    /// <summary>The same message taken again from the queue under a new delivery tag, with its state as it was.</summary>
    public void Retake(ulong tag)
    {
        Tag = tag;
        TakenAt = Environment.TickCount64;
    }

    public void Lease(string ackId, DateTimeOffset expiresAt)
    {
        State = HeldState.Leased;
        Deliveries++;
        AckId = ackId;
        LeaseExpiresAt = expiresAt;
        DueAt = null;
    }

    public void Wait(DateTimeOffset dueAt, string? reason)
    {
        State = HeldState.Waiting;
        AckId = null;
        LeaseExpiresAt = null;
        DueAt = dueAt;
        LastError = reason;
    }

    public ReceivedMessage ToReceived(string subscription) => new()
    {
        Id = Message.Id,
        Subscription = subscription,
        Topic = Message.Topic,
        Key = Message.Key,
        Attributes = Message.Attributes,
        Body = Message.Body?.DeepClone(),
        PublishedAt = Message.PublishedAt,
        Publisher = Message.Publisher,
        CorrelationId = Message.CorrelationId,
        ReplyTo = Message.ReplyTo,
        Delivery = Deliveries,
        AckId = AckId ?? throw new InvalidOperationException("only a leased delivery is received"),
        LeaseExpiresAt = LeaseExpiresAt ?? throw new InvalidOperationException("only a leased delivery is received"),
    };

    public MessageEntry ToEntry(string subscription, DateTimeOffset now)
    {
        var leased = State == HeldState.Leased && !IsExpired(now);
        return new MessageEntry
        {
            Id = Message.Id,
            Subscription = subscription,
            Topic = Message.Topic,
            Key = Message.Key,
            State = leased ? DeliveryState.Leased : DeliveryState.Ready,
            Deliveries = Deliveries,
            PublishedAt = Message.PublishedAt,
            NextDeliveryAt = leased ? LeaseExpiresAt : State == HeldState.Waiting ? DueAt : now,
            LastError = LastError,
        };
    }
}
