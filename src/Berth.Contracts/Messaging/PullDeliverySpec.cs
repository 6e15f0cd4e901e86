namespace Berth.Core.Messaging;

/// <summary>Pull delivery: consumers ask for messages.</summary>
public sealed record PullDeliverySpec
{
    /// <summary>The agent whose token may consume this subscription; null (the default): only users with a role.</summary>
    public string? Agent { get; set; }
}
