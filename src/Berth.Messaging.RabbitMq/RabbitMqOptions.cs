namespace Berth.Messaging.RabbitMq;

/// <summary>Settings of the RabbitMQ broker, bound from <c>Berth:Messaging:RabbitMq</c>.</summary>
public sealed record RabbitMqOptions
{
    /// <summary>The AMQP URI of the server (<c>amqp://</c> or <c>amqps://</c>). Default <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>
    /// How long an operation waits for RabbitMQ (a connection, a publisher confirm) before it fails with
    /// <c>MessageBrokerUnavailableException</c>; a publish retries within it while the server restarts. Default 10s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long Berth holds a delivery unacked before it gives back everything the subscription holds and takes it again at
    /// once (each message returns to its place at the head of the queue, its lease or wait kept). RabbitMQ closes a channel
    /// whose oldest unacked delivery is older than its <c>consumer_timeout</c> (30 minutes by default), which leases of up to
    /// 12 hours and a key's held-back messages would otherwise reach; keep this well below the server's setting. Default 10m.
    /// </summary>
    public TimeSpan RetakeHeldAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most messages Berth holds unacked for one subscription (leased, waiting for redelivery in key order, or held back
    /// behind an earlier message of their key): a receive takes no more from the queue past it. Default 2000.
    /// </summary>
    public int MaxHeldPerSubscription { get; set; } = 2000;
}
