using Berth.Core.Specs.Binding;

namespace Berth.Core.Messaging;

/// <summary>A durable topic: what is published to it reaches every subscription whose filter matches (<c>kind: Topic</c>).</summary>
public sealed record TopicSpec
{
    /// <summary>The topic's name (<c>metadata.name</c>), a DNS label.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>How long a message waits for a subscription to ack it before it is dropped from that subscription. Default 7d.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Deliveries of one message to one subscription before it is dead-lettered, 1 to 1000. Default 5.</summary>
    [Expected("a number of deliveries from 1 to 1000")]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How long a delivered message stays leased to its consumer before it is delivered again (unless acked). Default 30s.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether one key's messages are delivered in order. Default none.</summary>
    public MessageOrdering Ordering { get; set; } = MessageOrdering.None;

    /// <summary>
    /// A topic dead letters are also published to (with <c>berth.dead.*</c> attributes); null for none. Either way a dead
    /// letter stays inspectable and requeueable on its subscription.
    /// </summary>
    public string? DeadLetter { get; set; }

    /// <summary>How long a publisher's message id (<c>Message-Id</c>) is remembered, so a repeat is a no-op. Default 10m.</summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromMinutes(10);
}
