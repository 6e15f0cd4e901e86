namespace Berth.Core.Messaging;

/// <summary>
/// Every agent's mailbox: a topic and a subscription both named <c>agent/NAME</c>, pulled only by that agent (and by operators).
/// Names with a slash cannot clash with applied topics, whose names are DNS labels.
/// </summary>
public static class Mailboxes
{
    /// <summary>The prefix of mailbox names: <c>agent/</c>.</summary>
    public const string Prefix = "agent/";

    /// <summary>The mailbox of <paramref name="agent"/>: <c>agent/NAME</c>.</summary>
    public static string Of(string agent) => Prefix + agent;

    /// <summary>The agent a mailbox name belongs to, or null when <paramref name="name"/> is not a mailbox.</summary>
    public static string? AgentOf(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length ? name[Prefix.Length..] : null;

    /// <summary>The topic of <paramref name="agent"/>'s mailbox, with the defaults every topic has.</summary>
    public static TopicSpec Topic(string agent) => new() { Name = Of(agent) };

    /// <summary>The subscription that holds <paramref name="agent"/>'s mail, pulled by that agent.</summary>
    public static SubscriptionSpec Subscription(string agent) => new()
    {
        Name = Of(agent),
        Topic = Of(agent),
        Delivery = new DeliverySpec { Pull = new PullDeliverySpec { Agent = agent } },
    };
}
