namespace Berth.Core.Messaging;

/// <summary>Which held messages a listing returns, oldest first.</summary>
public sealed record MessageQuery
{
    /// <summary>Only this subscription's; null for every subscription's.</summary>
    public string? Subscription { get; init; }

    /// <summary>Only those published to this topic; null for every topic.</summary>
    public string? Topic { get; init; }

    /// <summary>Only this message's entries (one per subscription that holds it); null for every message.</summary>
    public string? Id { get; init; }

    /// <summary>Only those in this state; null for every state.</summary>
    public DeliveryState? State { get; init; }

    /// <summary>The most entries returned, 1 to 1000. Default 100.</summary>
    public int Limit { get; init; } = 100;
}
