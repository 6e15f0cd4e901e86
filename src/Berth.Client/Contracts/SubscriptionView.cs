using Berth.Core.Messaging;

namespace Berth.Client.Contracts;

/// <summary>A subscription as <c>GET /api/v1/subscriptions</c> lists it: its spec and what it holds.</summary>
public sealed record SubscriptionView
{
    /// <summary>The subscription's name (<c>agent/NAME</c> for a mailbox).</summary>
    public required string Name { get; init; }

    /// <summary>Its spec, defaults filled in.</summary>
    public required SubscriptionSpec Spec { get; init; }

    /// <summary>How many messages it holds, by state.</summary>
    public required SubscriptionStats Stats { get; init; }

    /// <summary>True for an agent's mailbox.</summary>
    public bool Mailbox { get; init; }
}
