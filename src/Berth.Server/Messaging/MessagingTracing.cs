using System.Diagnostics;
using Berth.Core.Messaging;
using Berth.Server.Observability;

namespace Berth.Server.Messaging;

/// <summary>
/// Spans of messages by OpenTelemetry's messaging conventions (<c>messaging.system</c> <c>berth</c>): <c>publish {topic}</c> for a
/// publish, and <c>send {subscription}</c> for a push delivery, whose HTTP call to the agent carries the span as <c>traceparent</c>.
/// </summary>
internal static class MessagingTracing
{
    public static Activity? StartPublish(string topic)
    {
        var activity = BerthTelemetry.Source.StartActivity($"publish {topic}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "berth");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "publish");
        activity?.SetTag("messaging.destination.name", topic);
        return activity;
    }

    public static Activity? StartPush(string subscription, ReceivedMessage message)
    {
        var activity = BerthTelemetry.Source.StartActivity($"send {subscription}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "berth");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "push");
        activity?.SetTag("messaging.destination.name", message.Topic);
        activity?.SetTag("messaging.destination.subscription.name", subscription);
        activity?.SetTag("messaging.message.id", message.Id);
        activity?.SetTag("berth.message.delivery", message.Delivery);
        return activity;
    }
}
