using Berth.Core.Messaging;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One held message as listings read it: a <c>message_deliveries</c> row with its message's id, topic and time.</summary>
internal sealed class MessageEntryRow
{
    public string Id { get; init; } = "";

    public string Subscription { get; init; } = "";

    public string Topic { get; init; } = "";

    public string? Key { get; init; }

    public string State { get; init; } = "";

    public int Deliveries { get; init; }

    public string PublishedAt { get; init; } = "";

    public string? NextDeliveryAt { get; init; }

    public string? LastError { get; init; }

    public MessageEntry ToEntry()
    {
        var owner = $"Message '{Id}' of subscription '{Subscription}'";
        return new MessageEntry
        {
            Id = Id,
            Subscription = Subscription,
            Topic = Topic,
            Key = Key,
            State = StoredJson.Enum<DeliveryState>(State, owner, "state"),
            Deliveries = Deliveries,
            PublishedAt = StoredJson.Time(PublishedAt, owner, "published_at"),
            NextDeliveryAt = StoredJson.TimeOrNull(NextDeliveryAt, owner, "visible_at"),
            LastError = LastError,
        };
    }
}
