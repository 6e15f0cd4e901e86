using Berth.Core.Requests;

namespace Berth.Core.Storage;

/// <summary>Durable storage of proxied requests and their responses.</summary>
public interface IRequestStore
{
    /// <summary>
    /// Saves each request by id, all in one transaction (the proxy batches its commits through this). A request with its
    /// <see cref="ProxiedRequest.Message"/> is inserted or updated; one without updates a stored request's state and response
    /// only (what was accepted never changes), and fails when that request is not stored. A request whose idempotency key
    /// another request of the agent already holds in the same scope fails the save with
    /// <see cref="IdempotencyKeyTakenException"/>; when servers sharing the database save the same key at once, one row is kept
    /// and the other servers' saves fail so. A failed save keeps nothing of the batch.
    /// </summary>
    Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken);

    /// <summary>The request with its payloads, or null.</summary>
    Task<ProxiedRequest?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The agent's request carrying <paramref name="idempotencyKey"/> in <paramref name="scope"/> (the caller's), with its payloads, or null.</summary>
    Task<ProxiedRequest?> FindByKeyAsync(string agentName, string scope, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Requests matching the query, newest first, without payloads (no request message; responses with an empty message).</summary>
    Task<IReadOnlyList<ProxiedRequest>> ListAsync(RequestQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically takes up to <paramref name="limit"/> of the agent's requests that are due (accepted; retrying whose time has
    /// come; dispatched whose lease ended) in arrival order, marks them dispatched under a lease for <paramref name="owner"/>
    /// until <paramref name="leaseUntil"/>, and returns them with their payloads.
    /// </summary>
    Task<IReadOnlyList<ProxiedRequest>> ClaimDueAsync(string agentName, DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The agents that have requests waiting (accepted, retrying, or dispatched under a lease that ended before
    /// <paramref name="now"/>), with the earliest time one is due. Requests in live delivery are not waiting.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> PendingAgentsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// How many requests each agent has waiting or in delivery (accepted, retrying, dispatched) and dead-lettered; completed
    /// requests are not counted (there may be millions, and they need nothing).
    /// </summary>
    Task<IReadOnlyList<RequestStateCount>> CountOpenAsync(CancellationToken cancellationToken);

    /// <summary>Returns the requests <paramref name="owner"/> holds leases on to the queue (accepted); used when a server starts again.</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Deletes one request; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the agent's requests in <paramref name="state"/> (any state when null) that finished before
    /// <paramref name="finishedBefore"/> (no time limit when null); returns how many.
    /// </summary>
    Task<int> PurgeAsync(string agentName, RequestState? state, DateTimeOffset? finishedBefore, CancellationToken cancellationToken);
}
