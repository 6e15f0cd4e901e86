namespace Berth.Core.Messaging;

/// <summary>A durable subscription to a topic: its own copy of each matching message, delivered by pull or push (<c>kind: Subscription</c>).</summary>
public sealed record SubscriptionSpec
{
    /// <summary>The subscription's name (<c>metadata.name</c>), a DNS label.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The topic it receives from. Required.</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Attributes a message must carry, each with exactly this value, to be delivered here. Empty (the default): every message.</summary>
    public IReadOnlyDictionary<string, string> Filter { get; set; } = new Dictionary<string, string>();

    /// <summary>How messages leave: pulled by consumers (the default), or pushed to an agent.</summary>
    public DeliverySpec Delivery { get; set; } = new();

    /// <summary>How long a nacked or expired message waits before it is delivered again.</summary>
    public RedeliverySpec Retry { get; set; } = new();
}
