using Berth.Core.Requests;
using Berth.Core.Specs;

namespace Berth.Server.Requests;

/// <summary>
/// The state transitions of a stored request, in one place for the live proxy, the dispatcher and the API. Every transition
/// drops the request's message: the store keeps what was accepted, so only the state and response are written again.
/// </summary>
internal static class RequestOutcomes
{
    // A lease outlives the attempt's own timeout a little, so a slow but live delivery is never claimed twice.
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    /// <summary>When a lease taken at <paramref name="now"/> for one attempt ends.</summary>
    public static DateTimeOffset LeaseEnd(DateTimeOffset now, PersistenceSpec persistence) => now + persistence.RequestTimeout + LeaseMargin;

    public static ProxiedRequest Completed(ProxiedRequest request, StoredResponse response, DateTimeOffset now) => Unleased(request, now) with
    {
        State = RequestState.Completed,
        Response = response,
        FinishedAt = now,
        NextAttemptAt = null,
    };

    /// <summary>Retrying after a backoff, or dead-lettered when the attempts are used up.</summary>
    public static ProxiedRequest Failed(ProxiedRequest request, AttemptOutcome outcome, PersistenceSpec persistence, DateTimeOffset now)
    {
        var exhausted = request.Attempts >= request.MaxAttempts;
        return Unleased(request, now) with
        {
            State = exhausted ? RequestState.DeadLettered : RequestState.Retrying,
            LastFailure = outcome.Failure,
            LastError = outcome.Error,
            NextAttemptAt = exhausted ? null : now + RetrySchedule.DelayAfter(request.Attempts, persistence, Random.Shared),
            FinishedAt = exhausted ? now : null,
        };
    }

    /// <summary>Back to the queue without counting the attempt (no instance was there to try).</summary>
    public static ProxiedRequest Unclaimed(ProxiedRequest request, DateTimeOffset now) => Unleased(request, now) with
    {
        State = RequestState.Accepted,
        Attempts = Math.Max(0, request.Attempts - 1),
    };

    /// <summary>A finished request back in the queue, as if new: attempts, failure and response cleared.</summary>
    public static ProxiedRequest Requeued(ProxiedRequest request, DateTimeOffset now) => Unleased(request, now) with
    {
        State = RequestState.Accepted,
        Attempts = 0,
        NextAttemptAt = null,
        FinishedAt = null,
        LastFailure = null,
        LastError = null,
        Response = null,
    };

    private static ProxiedRequest Unleased(ProxiedRequest request, DateTimeOffset now) =>
        request with { Message = null, UpdatedAt = now, LeaseOwner = null, LeaseExpiresAt = null };
}
