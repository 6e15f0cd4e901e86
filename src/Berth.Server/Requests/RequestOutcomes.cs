using Berth.Core.Requests;
using Berth.Core.Specs;

namespace Berth.Server.Requests;

/// <summary>The state transitions of a request after an attempt, in one place for the live proxy and the dispatcher.</summary>
internal static class RequestOutcomes
{
    public static ProxiedRequest Completed(ProxiedRequest request, StoredResponse response, DateTimeOffset now) => request with
    {
        State = RequestState.Completed,
        Response = response,
        FinishedAt = now,
        UpdatedAt = now,
        LeaseOwner = null,
        LeaseExpiresAt = null,
        NextAttemptAt = null,
    };

    /// <summary>Retrying after a backoff, or dead-lettered when the attempts are used up.</summary>
    public static ProxiedRequest Failed(ProxiedRequest request, AttemptOutcome outcome, PersistenceSpec persistence, DateTimeOffset now)
    {
        var exhausted = request.Attempts >= request.MaxAttempts;
        return request with
        {
            State = exhausted ? RequestState.DeadLettered : RequestState.Retrying,
            LastFailure = outcome.Failure,
            LastError = outcome.Error,
            NextAttemptAt = exhausted ? null : now + RetrySchedule.DelayAfter(request.Attempts, persistence, Random.Shared),
            FinishedAt = exhausted ? now : null,
            UpdatedAt = now,
            LeaseOwner = null,
            LeaseExpiresAt = null,
        };
    }

    /// <summary>Back to the queue without counting the attempt (no instance was there to try).</summary>
    public static ProxiedRequest Unclaimed(ProxiedRequest request, DateTimeOffset now) => request with
    {
        State = RequestState.Accepted,
        Attempts = Math.Max(0, request.Attempts - 1),
        UpdatedAt = now,
        LeaseOwner = null,
        LeaseExpiresAt = null,
    };
}
