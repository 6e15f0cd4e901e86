using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Requests;

/// <summary>Why an attempt to deliver a request failed, as recorded on the request.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<DeliveryFailure>))]
public enum DeliveryFailure
{
    /// <summary>The connection was refused or reset before the request was sent: the agent never saw it.</summary>
    NotSent,

    /// <summary>The connection broke after the request was sent: the agent may have run it.</summary>
    ConnectionLost,

    /// <summary>The agent answered 502, 503 or 504.</summary>
    Unavailable,

    /// <summary>No response headers within the agent's <c>persistence.requestTimeout</c>.</summary>
    Timeout,

    /// <summary>The agent had no healthy instance for longer than the request could wait.</summary>
    NoInstance,
}
