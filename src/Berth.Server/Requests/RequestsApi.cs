using System.Globalization;
using System.Security.Claims;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Requests;

/// <summary>
/// <c>/api/v1/requests</c>: stored proxied requests. Users with any role and agents may read (an agent only the requests it
/// sent or received); operators requeue, acknowledge and purge. Every endpoint here first waits for the journal to write what
/// is queued (<see cref="AfterJournalFlushAsync"/>), so a request whose answer was sent reads as finished even though its
/// outcome is committed after the answer.
/// </summary>
internal static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder api)
    {
        var reads = api.MapGroup("/requests").WithTags("Requests").RequireAuthorization(BerthPolicies.RequestReader)
            .AddEndpointFilter(AfterJournalFlushAsync);
        reads.MapGet("/", ListAsync).WithName("ListRequests");
        reads.MapGet("/{id}", GetAsync).WithName("GetRequest");
        var changes = api.MapGroup("/requests").WithTags("Requests").RequireAuthorization(BerthPolicies.Operator)
            .AddEndpointFilter(AfterJournalFlushAsync);
        changes.MapPost("/{id}/requeue", RequeueAsync).WithName("RequeueRequest");
        changes.MapDelete("/{id}", DeleteAsync).WithName("DeleteRequest");
        changes.MapDelete("/", PurgeAsync).WithName("PurgeRequests");
        return api;
    }

    // Runs after authorization, inside the endpoint: a caller who may not read requests never waits on the journal.
    private static async ValueTask<object?> AfterJournalFlushAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        await http.RequestServices.GetRequiredService<RequestJournal>().FlushAsync(http.RequestAborted);
        return await next(context);
    }

    private static async Task<Results<Ok<IReadOnlyList<RequestView>>, ProblemHttpResult>> ListAsync(
        string? agent, string? state, string? since, string? limit, string? before, ClaimsPrincipal user,
        IRequestStore store, SecretRedactor redactor, TimeProvider time, CancellationToken ct)
    {
        var query = new RequestQuery { AgentName = Blank(agent), Party = user.FindFirstValue(BerthClaims.Agent) };
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

    private static async Task<Results<Ok<RequestDetail>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, IRequestStore store, SecretRedactor redactor, CancellationToken ct)
    {
        var request = await store.GetAsync(id, ct);
        var party = user.FindFirstValue(BerthClaims.Agent);
        return request is null || (party is not null && request.AgentName != party && request.CallerAgent != party)
            ? NotFound(id)
            : TypedResults.Ok(RequestViews.Detail(request, redactor));
    }

    private static async Task<Results<Ok<RequestView>, ProblemHttpResult>> RequeueAsync(
        string id, IRequestStore store, RequestJournal journal, RequestDispatcher dispatcher, SecretRedactor redactor, TimeProvider time, CancellationToken ct)
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

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, IRequestStore store, CancellationToken ct)
    {
        var request = await store.GetAsync(id, ct);
        if (request is null)
        {
            return NotFound(id);
        }

        if (request.State is not (RequestState.DeadLettered or RequestState.Completed))
        {
            return Problems.Problems.Conflict($"Request {id} is {Name(request.State)}; only completed and dead-lettered requests can be deleted.");
        }

        await store.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PurgeResult>, ProblemHttpResult>> PurgeAsync(
        string? agent, string? state, IRequestStore store, CancellationToken ct)
    {
        if (Blank(agent) is not { } name)
        {
            return Problems.Problems.BadRequest("agent is required: purge removes one agent's requests at a time.");
        }

        if (state is null || !TryParseState(state, out var parsed) || parsed is not (RequestState.Completed or RequestState.DeadLettered))
        {
            return Problems.Problems.BadRequest($"state must be completed or dead-lettered; got '{state}'.");
        }

        return TypedResults.Ok(new PurgeResult(await store.PurgeAsync(name, parsed, null, ct)));
    }

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Problems.Problem(StatusCodes.Status404NotFound, "Request not found", Problems.Problems.NotFoundType,
            $"No request '{id}' (it may have been purged after its agent's retention period). List requests with 'berth requests ls'.");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Name(RequestState state) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    private static string StateNames => string.Join(", ", Enum.GetValues<RequestState>().Select(Name));

    private static bool TryParseState(string text, out RequestState state)
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

    /// <summary>How many requests a purge removed.</summary>
    public sealed record PurgeResult(int Deleted);
}
