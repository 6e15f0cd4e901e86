using System.Globalization;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Requests;

/// <summary>
/// Listing and requeueing stored requests, for <c>/api/v1/requests</c> and the MCP <c>list_requests</c> and
/// <c>requeue_request</c> tools alike. Callers first wait for the journal (<see cref="RequestJournal.FlushAsync"/>), so a
/// request whose answer was sent reads as finished.
/// </summary>
internal sealed class RequestCommands(IRequestStore store, RequestJournal journal, RequestDispatcher dispatcher, SecretRedactor redactor, TimeProvider time)
{
    /// <summary>Stored requests, newest first, filtered as the API's query string does; <paramref name="party"/> (an agent's name) limits them to those it sent or received.</summary>
    public async Task<Results<Ok<IReadOnlyList<RequestView>>, ProblemHttpResult>> ListAsync(
        string? agent, string? state, string? since, string? limit, string? before, string? party, CancellationToken ct)
    {
        var query = new RequestQuery { AgentName = Blank(agent), Party = party };
        if (state is not null)
        {
            if (!TryParseState(state, out var parsed))
            {
                return Problems.Problems.BadRequest($"state must be one of {StateNames}; got '{state}'.");
            }

            query = query with { State = parsed };
        }

        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!Since.TryParse(since, time.GetUtcNow(), out var at))
            {
                return Problems.Problems.BadRequest($"since must be a duration ago like 10m or an ISO 8601 time; got '{since}'.");
            }

            query = query with { Since = at };
        }

        if (limit is not null)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > RequestQuery.MaxLimit)
            {
                return Problems.Problems.BadRequest($"limit must be a whole number from 1 to {RequestQuery.MaxLimit}; got '{limit}'.");
            }

            query = query with { Limit = count };
        }

        if (before is not null)
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return Problems.Problems.BadRequest($"before must be a request's sequence number; got '{before}'.");
            }

            query = query with { BeforeSequence = sequence };
        }

        var requests = await store.ListAsync(query, ct);
        return TypedResults.Ok<IReadOnlyList<RequestView>>(requests.Select(r => RequestViews.Summary(r, redactor)).ToList());
    }

    /// <summary>Queues a completed or dead-lettered request again, to be delivered as if new (its attempts start over).</summary>
    public async Task<Results<Ok<RequestView>, ProblemHttpResult>> RequeueAsync(string id, CancellationToken ct)
    {
        var request = await store.GetAsync(id, ct);
        if (request is null)
        {
            return NotFound(id);
        }

        if (request.State is not (RequestState.DeadLettered or RequestState.Completed))
        {
            return Problems.Problems.Conflict($"Request {id} is {Name(request.State)}: it is still on its way, so there is nothing to requeue.");
        }

        var queued = RequestOutcomes.Requeued(request, time.GetUtcNow());
        await journal.SaveAsync(queued, ct);
        dispatcher.Queued(queued.AgentName);
        return TypedResults.Ok(RequestViews.Summary(queued, redactor));
    }

    public static ProblemHttpResult NotFound(string id) =>
        Problems.Problems.Problem(StatusCodes.Status404NotFound, "Request not found", Problems.Problems.NotFoundType,
            $"No request '{id}' (it may have been purged after its agent's retention period). List requests with 'berth requests ls'.");

    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A state as the API spells it: <c>dead-lettered</c>.</summary>
    public static string Name(RequestState state) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    public static string StateNames => string.Join(", ", Enum.GetValues<RequestState>().Select(Name));

    public static bool TryParseState(string text, out RequestState state)
    {
        state = default;
        var match = Enum.GetValues<RequestState>().Where(s => Name(s) == text.Trim()).ToList();
        if (match.Count == 0)
        {
            return false;
        }

        state = match[0];
        return true;
    }
}
