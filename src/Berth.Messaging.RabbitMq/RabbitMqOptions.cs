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
    /// The most messages Berth holds unacked for one subscription (leased, waiting for redelivery in key order, or held back
    /// behind an earlier message of their key): a receive takes no more from the queue past it. Default 2000.
    /// </summary>
    public int MaxHeldPerSubscription { get; set; } = 2000;
}
