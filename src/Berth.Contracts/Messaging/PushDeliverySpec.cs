using Berth.Core.Specs.Binding;

namespace Berth.Core.Messaging;

/// <summary>Push delivery: Berth posts each message to an agent's path through its proxy; a 2xx answer acks it.</summary>
public sealed record PushDeliverySpec
{
    /// <summary>The agent that receives the messages. Required.</summary>
    public string Agent { get; set; } = string.Empty;

    /// <summary>The path posted to, starting with <c>/</c>. Default <c>/messages</c>.</summary>
    public string Path { get; set; } = "/messages";

    /// <summary>Messages in flight to the agent at once, 1 to 64. Default 4.</summary>
    [Expected("a number of messages from 1 to 64")]
    public int Concurrency { get; set; } = 4;
}
