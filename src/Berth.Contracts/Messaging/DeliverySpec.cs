using System.Text.Json.Serialization;

namespace Berth.Core.Messaging;

/// <summary>How a subscription's messages leave: <c>pull</c> (the default) or <c>{ push: { agent, path, concurrency } }</c>.</summary>
public sealed record DeliverySpec
{
    /// <summary>Consumers ask for messages (long-poll, SSE). Used when <see cref="Push"/> is null.</summary>
    public PullDeliverySpec? Pull { get; set; }

    /// <summary>Berth posts each message to an agent through its proxy; null for pull.</summary>
    public PushDeliverySpec? Push { get; set; }

    /// <summary>The agent messages are delivered to: the push agent, or the pull consumer named; null when only users consume.</summary>
    [JsonIgnore]
    public string? Agent => Push?.Agent ?? Pull?.Agent;
}
