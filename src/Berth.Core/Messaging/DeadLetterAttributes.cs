namespace Berth.Core.Messaging;

/// <summary>
/// The attributes a broker adds to the copy of a dead message it publishes to the topic's <c>deadLetter</c> topic, the same
/// for both brokers so subscriptions to a dead-letter topic can filter on them.
/// </summary>
public static class DeadLetterAttributes
{
    /// <summary>The subscription the message died on: <c>berth.dead.subscription</c>.</summary>
    public const string Subscription = "berth.dead.subscription";

    /// <summary>Why it died (the last nack's reason, or that its lease expired): <c>berth.dead.reason</c>.</summary>
    public const string Reason = "berth.dead.reason";

    /// <summary>The id of the message that died: <c>berth.dead.message</c>.</summary>
    public const string Message = "berth.dead.message";

    /// <summary>The publisher of the copy: <c>berth</c>.</summary>
    public const string Publisher = "berth";
}
