using Berth.Core.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Requests;

/// <summary>What the durable proxy answers from a stored request: the stored response, a dead letter, or 202 with where to look.</summary>
internal static class StoredAnswers
{
    /// <summary>Response header set when the answer is a stored response to an earlier request with the same <c>Idempotency-Key</c>.</summary>
    public const string ReplayedHeader = "Berth-Replayed";

    public static IResult For(ProxiedRequest? finished, string id, bool replayed) => finished switch
    {
        { State: RequestState.Completed, Response: { } response } => new StoredResponseResult(response, replayed),
        { State: RequestState.DeadLettered } => DeadLettered(finished),
        _ => Accepted(finished?.Id ?? id, finished?.State ?? RequestState.Accepted),
    };

    private static Microsoft.AspNetCore.Http.HttpResults.Accepted<AcceptedRequest> Accepted(string id, RequestState state)
    {
        var location = $"/api/v1/requests/{id}";
        return TypedResults.Accepted(location, new AcceptedRequest(id, state, location));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult DeadLettered(ProxiedRequest request)
    {
        var problem = Problems.Problems.Problem(
            StatusCodes.Status502BadGateway,
            "Request dead-lettered",
            Problems.Problems.DeadLetteredType,
            $"Agent '{request.AgentName}' did not take request {request.Id} after {request.Attempts} attempts (last: {request.LastError}). " +
            $"It is kept as a dead letter: see GET /api/v1/requests/{request.Id}, and requeue it with 'berth requests replay {request.Id}' once the agent is fixed.");
        return problem;
    }

    /// <summary>Body of a 202: the request's id, state and where to fetch it.</summary>
    public sealed record AcceptedRequest(string Id, RequestState State, string Location);

    private sealed class StoredResponseResult(StoredResponse response, bool replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var outgoing = httpContext.Response;
            outgoing.StatusCode = response.Status;
            foreach (var group in response.Message.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                if (!group.Key.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
                {
                    outgoing.Headers[group.Key] = group.Select(h => h.Value).ToArray();
                }
            }

            if (replayed)
            {
                outgoing.Headers[ReplayedHeader] = "true";
            }

            outgoing.ContentLength = response.Message.Body.Length;
            await outgoing.Body.WriteAsync(response.Message.Body, httpContext.RequestAborted);
        }
    }
}
