using System.Diagnostics.Metrics;
using Berth.Core.Messaging;
using Berth.Server.Observability;

namespace Berth.Server.Messaging;

/// <summary>
/// Messages as they move: <c>berth.messages.published</c> (tagged <c>messaging.destination.name</c>, the topic),
/// <c>berth.messages.delivered</c> (tagged <c>berth.subscription</c> and <c>berth.delivery</c> <c>pull</c> or <c>push</c>) and
/// <c>berth.messages.redelivered</c> (deliveries after the first). What waits and what is dead-lettered is the gauge
/// <c>berth.subscription.messages</c> (see <see cref="StoredStateGauges"/>).
/// </summary>
internal static class MessagingMetrics
{
    private static readonly Counter<long> Published = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.messages.published", "{message}", "Messages published to a topic (mail and requests to an agent's mailbox included).");

    private static readonly Counter<long> Delivered = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.messages.delivered", "{message}", "Messages handed to a consumer: received (pull, stream or a workflow trigger) or pushed successfully.");

    private static readonly Counter<long> Redelivered = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.messages.redelivered", "{message}", "Deliveries of a message that was delivered before (nacked, or its lease ran out).");

    public static void RecordPublished(string topic) => Published.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", topic));

    public static void RecordPulled(string subscription, IReadOnlyList<ReceivedMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        Delivered.Add(messages.Count, Subscription(subscription), new KeyValuePair<string, object?>("berth.delivery", "pull"));
        var again = messages.Count(m => m.Delivery > 1);
        if (again > 0)
        {
            Redelivered.Add(again, Subscription(subscription));
        }
    }

    public static void RecordPushed(string subscription, ReceivedMessage message)
    {
        Delivered.Add(1, Subscription(subscription), new KeyValuePair<string, object?>("berth.delivery", "push"));
        if (message.Delivery > 1)
        {
            Redelivered.Add(1, Subscription(subscription));
        }
    }

    private static KeyValuePair<string, object?> Subscription(string name) => new("berth.subscription", name);
}
