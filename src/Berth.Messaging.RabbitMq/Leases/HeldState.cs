namespace Berth.Messaging.RabbitMq.Leases;

/// <summary>Why Berth holds a delivery unacked in RabbitMQ.</summary>
internal enum HeldState
{
    /// <summary>Taken from the queue behind an earlier message of its key, which is leased or waiting: delivered after it.</summary>
    HeldBack,

    /// <summary>Leased to a consumer until its lease ends.</summary>
    Leased,

    /// <summary>A keyed message given back, waiting for its redelivery here rather than in a delay queue, so its key keeps its order.</summary>
    Waiting,
}
