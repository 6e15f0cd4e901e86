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
        { State: RequestState.Completed, Response: { } response } => new StoredResponseResult(finished.Id, response, replayed),
        { State: RequestState.DeadLettered } => new WithRequestId(finished.Id, DeadLettered(finished)),
        _ => Accepted(finished?.Id ?? id, finished?.State ?? RequestState.Accepted),
    };

    public static IResult Accepted(string id, RequestState state)
    {
        var location = $"/api/v1/requests/{id}";
        return new WithRequestId(id, TypedResults.Accepted(location, new AcceptedRequest(id, state, location)));
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

    // Every answer of the durable proxy names its request, a 202 or a dead letter as much as a stored response.
    private sealed class WithRequestId(string id, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[AttemptSender.RequestIdHeader] = id;
            return inner.ExecuteAsync(httpContext);
        }
    }

    private sealed class StoredResponseResult(string id, StoredResponse response, bool replayed) : IResult
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

            outgoing.Headers[AttemptSender.RequestIdHeader] = id;
            if (replayed)
            {
                outgoing.Headers[ReplayedHeader] = "true";
            }

            outgoing.ContentLength = response.Message.Body.Length;
            await outgoing.Body.WriteAsync(response.Message.Body, httpContext.RequestAborted);
        }
    }
}
