namespace Berth.Core.Messaging;

/// <summary>A receive, ack or nack named a subscription the broker does not serve.</summary>
public sealed class UnknownSubscriptionException(string subscription)
    : Exception($"There is no subscription '{subscription}'; apply a kind: Subscription spec to create it.")
{
    /// <summary>The subscription named.</summary>
    public string Subscription { get; } = subscription;
}
