using Microsoft.Extensions.Logging;

namespace Berth.Messaging.RabbitMq;

/// <summary>The RabbitMQ broker's log messages.</summary>
internal static partial class RabbitMqLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Subscription} lost its channel; RabbitMQ requeued the {Count} deliveries it held, which will be delivered again")]
    public static partial void DeliveriesReturned(ILogger logger, string subscription, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ closed the channel of subscription {Subscription}: {Reason}. If it names the delivery acknowledgement timeout, set Berth:Messaging:RabbitMq:RetakeHeldAfter well below the server's consumer_timeout")]
    public static partial void ChannelClosedByServer(ILogger logger, string subscription, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Trying again to {What} (attempt {Attempt} failed: {Error})")]
    public static partial void PublishRetry(ILogger logger, string what, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of subscription {Subscription} is dead after {Deliveries} deliveries (last error: {Reason})")]
    public static partial void DeadLettered(ILogger logger, string messageId, string subscription, int deliveries, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {MessageId} of subscription {Subscription} was not published to dead-letter topic {Topic}, which does not exist")]
    public static partial void DeadLetterTopicMissing(ILogger logger, string topic, string messageId, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {MessageId} of subscription {Subscription} was not published to dead-letter topic {Topic}: {Error}")]
    public static partial void DeadLetterPublishFailed(ILogger logger, string topic, string messageId, string subscription, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of subscription {Subscription} is past its topic's retention and was dropped")]
    public static partial void RetentionDropped(ILogger logger, string messageId, string subscription);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscription {Subscription} gave back and took again the {Count} deliveries it holds, ahead of RabbitMQ's consumer timeout")]
    public static partial void HeldRetaken(ILogger logger, string subscription, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping subscription {Subscription} failed: {Error}")]
    public static partial void SweepFailed(ILogger logger, string subscription, string error);
}
