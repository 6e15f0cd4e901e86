using Berth.Core.Messaging;

namespace Berth.Client.Contracts;

/// <summary>A topic as <c>GET /api/v1/topics</c> lists it: its spec and the subscriptions that receive from it.</summary>
public sealed record TopicView
{
    /// <summary>The topic's name (<c>agent/NAME</c> for a mailbox).</summary>
    public required string Name { get; init; }

    /// <summary>Its spec, defaults filled in.</summary>
    public required TopicSpec Spec { get; init; }

    /// <summary>The names of its subscriptions.</summary>
    public IReadOnlyList<string> Subscriptions { get; init; } = [];

    /// <summary>True for an agent's mailbox, which Berth keeps for every agent.</summary>
    public bool Mailbox { get; init; }
}
