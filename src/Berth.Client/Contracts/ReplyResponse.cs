using Berth.Core.Messaging;

namespace Berth.Client.Contracts;

/// <summary>
/// What <c>POST /api/v1/mailboxes/{agent}/requests</c> answered: the reply (<c>200</c>), or none within the timeout (<c>202</c>;
/// an agent caller still gets the reply in its own mailbox).
/// </summary>
public sealed record ReplyResponse
{
    /// <summary>The id of the request message.</summary>
    public required string RequestId { get; init; }

    /// <summary>The correlation id the reply carries.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The reply; null when none came in time.</summary>
    public StoredMessage? Reply { get; init; }
}
