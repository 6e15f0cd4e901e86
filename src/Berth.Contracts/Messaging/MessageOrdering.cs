using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Messaging;

/// <summary>In what order a topic's messages reach each subscription.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<MessageOrdering>))]
public enum MessageOrdering
{
    /// <summary>Any order: consumers take whatever is ready, so throughput grows with them.</summary>
    None,

    /// <summary>Messages that share a key are delivered one at a time, in the order they were published; different keys in parallel.</summary>
    Key,
}
