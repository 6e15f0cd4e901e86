namespace Berth.Core.Messaging;

/// <summary>A publish named a topic the broker does not serve.</summary>
public sealed class UnknownTopicException(string topic)
    : Exception($"There is no topic '{topic}'; create it with 'berth topics create {topic}' or apply a kind: Topic spec.")
{
    /// <summary>The topic named.</summary>
    public string Topic { get; } = topic;
}
