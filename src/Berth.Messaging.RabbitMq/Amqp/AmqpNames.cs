using System.Globalization;

namespace Berth.Messaging.RabbitMq.Amqp;

/// <summary>
/// What Berth's topics and subscriptions are called in RabbitMQ. Topic and subscription names are DNS labels or mailbox names
/// (<c>agent/NAME</c>); AMQP names allow the slash, and every name here stays far below AMQP's 255 bytes.
/// </summary>
internal static class AmqpNames
{
    /// <summary>The durable headers exchange of <paramref name="topic"/>: <c>berth.topic.NAME</c>.</summary>
    public static string Exchange(string topic) => "berth.topic." + topic;

    /// <summary>The durable queue of <paramref name="subscription"/>: <c>berth.sub.NAME</c>.</summary>
    public static string Queue(string subscription) => "berth.sub." + subscription;

    /// <summary>The delay queue of <paramref name="subscription"/> whose messages wait <paramref name="delayMs"/>: <c>berth.delay.NAME.MS</c>.</summary>
    public static string DelayQueue(string subscription, long delayMs) =>
        "berth.delay." + subscription + "." + delayMs.ToString(CultureInfo.InvariantCulture);
}
