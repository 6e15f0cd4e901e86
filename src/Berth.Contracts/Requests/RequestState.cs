using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Requests;

/// <summary>Where a proxied request is in its life: accepted → dispatched → completed, or → retrying → … → dead-lettered.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RequestState>))]
public enum RequestState
{
    /// <summary>Stored, waiting to be sent (the agent is not healthy yet, or others are queued before it).</summary>
    Accepted,

    /// <summary>Being sent to an instance under a lease; when the lease expires unfinished, the request returns to the queue.</summary>
    Dispatched,

    /// <summary>An attempt failed in a way worth retrying; waiting until <see cref="ProxiedRequest.NextAttemptAt"/>.</summary>
    Retrying,

    /// <summary>The agent answered (any status, 4xx included: it is the agent's answer); the response is stored.</summary>
    Completed,

    /// <summary>Every attempt failed; kept until acknowledged or requeued.</summary>
    DeadLettered,
}
