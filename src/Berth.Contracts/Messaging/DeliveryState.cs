using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Messaging;

/// <summary>Where one message stands with one subscription. An acked message is no longer held for it.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    /// <summary>Waiting to be delivered (now, or after a redelivery delay).</summary>
    Ready,

    /// <summary>Delivered and leased to a consumer that has not acked it yet.</summary>
    Leased,

    /// <summary>Given up after the topic's <c>maxDeliveries</c>: kept for inspection until requeued or purged.</summary>
    Dead,
}
