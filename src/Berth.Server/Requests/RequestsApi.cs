using System.Security.Claims;
using Berth.Client.Contracts;
using Berth.Core.Requests;
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

    private static Task<Results<Ok<IReadOnlyList<RequestView>>, ProblemHttpResult>> ListAsync(
        string? agent, string? state, string? since, string? limit, string? before, ClaimsPrincipal user, RequestCommands commands, CancellationToken ct) =>
        commands.ListAsync(agent, state, since, limit, before, user.FindFirstValue(BerthClaims.Agent), ct);

    private static async Task<Results<Ok<RequestDetail>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, IRequestStore store, SecretRedactor redactor, CancellationToken ct)
    {
        var request = await store.GetAsync(id, ct);
        var party = user.FindFirstValue(BerthClaims.Agent);
        return request is null || (party is not null && request.AgentName != party && request.CallerAgent != party)
            ? RequestCommands.NotFound(id)
            : TypedResults.Ok(RequestViews.Detail(request, redactor));
    }

    private static Task<Results<Ok<RequestView>, ProblemHttpResult>> RequeueAsync(string id, RequestCommands commands, CancellationToken ct) =>
        commands.RequeueAsync(id, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, IRequestStore store, CancellationToken ct)
    {
        var request = await store.GetAsync(id, ct);
        if (request is null)
        {
            return RequestCommands.NotFound(id);
        }

        if (request.State is not (RequestState.DeadLettered or RequestState.Completed))
        {
            return Problems.Problems.Conflict($"Request {id} is {RequestCommands.Name(request.State)}; only completed and dead-lettered requests can be deleted.");
        }

        await store.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PurgeResult>, ProblemHttpResult>> PurgeAsync(
        string? agent, string? state, IRequestStore store, CancellationToken ct)
    {
        if (RequestCommands.Blank(agent) is not { } name)
        {
            return Problems.Problems.BadRequest("agent is required: purge removes one agent's requests at a time.");
        }

        if (state is null || !RequestCommands.TryParseState(state, out var parsed) || parsed is not (RequestState.Completed or RequestState.DeadLettered))
        {
            return Problems.Problems.BadRequest($"state must be completed or dead-lettered; got '{state}'.");
        }

        return TypedResults.Ok(new PurgeResult(await store.PurgeAsync(name, parsed, null, ct)));
    }

    /// <summary>How many requests a purge removed.</summary>
    public sealed record PurgeResult(int Deleted);
}
