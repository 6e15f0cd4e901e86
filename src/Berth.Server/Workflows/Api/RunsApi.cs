using System.Globalization;
using System.Security.Claims;
using Berth.Client.Contracts;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Server.Security;
using Berth.Server.Workflows.Engine;
using Berth.Server.Workflows.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polly.CircuitBreaker;

namespace Berth.Server.Workflows.Api;

/// <summary>The <c>/api/v1/runs</c> routes (list, get with steps, cancel, events, explain) and <c>/api/v1/circuits</c>.</summary>
internal static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs").RequireAuthorization(BerthPolicies.Viewer);
        runs.MapGet("/", ListAsync).WithName("ListRuns");
        runs.MapGet("/{id}", GetAsync).WithName("GetRun");
        runs.MapGet("/{id}/events", EventsAsync).WithName("RunEvents").Produces(StatusCodes.Status200OK, contentType: RunEventStream.ContentType);
        runs.MapGet("/{id}/steps/{step}/explain", (string id, string step, RunExplainer explainer, CancellationToken ct) => explainer.ExplainAsync(id, step, ct))
            .WithName("ExplainStep");
        runs.MapGroup("").RequireAuthorization(BerthPolicies.Operator).MapPost("/{id}/cancel", CancelAsync).WithName("CancelRun");
        api.MapGroup("/circuits").WithTags("Runs").RequireAuthorization(BerthPolicies.Viewer).MapGet("/", (CircuitBreakers breakers) =>
            TypedResults.Ok(breakers.States().Select(b => new CircuitView(b.Target, StateName(b.State))).ToList())).WithName("ListCircuits");
        return api;
    }

    private static async Task<Results<Ok<List<RunView>>, ProblemHttpResult>> ListAsync(
        string? workflow, string? state, int? limit, IRunStore runs, CancellationToken ct)
    {
        RunState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<RunState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, CultureInfo.InvariantCulture, out _))
            {
                return Problems.Problems.BadRequest($"state must be one of queued, running, succeeded, failed, cancelled; got '{state}'.");
            }

            wanted = parsed;
        }

        if (limit is < 1 or > 1000)
        {
            return Problems.Problems.BadRequest("limit must be between 1 and 1000.");
        }

        var found = await runs.ListAsync(workflow, wanted, limit ?? 50, ct);
        var counts = await runs.CountStepsAsync(found.Select(r => r.Id).ToList(), ct);
        return TypedResults.Ok(found.Select(r => RunViews.Summary(r, counts[r.Id])).ToList());
    }

    private static Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string id, WorkflowRuns runs, CancellationToken ct) => runs.GetAsync(id, ct);

    private static async Task<IResult> EventsAsync(
        string id, long? after, bool? follow, HttpRequest request, IRunStore runs, RunEventHub hub, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is null)
        {
            return Problems.Problems.RunNotFound(id);
        }

        var from = after ?? 0;
        if (long.TryParse(request.Headers["Last-Event-ID"], CultureInfo.InvariantCulture, out var lastSeen))
        {
            from = Math.Max(from, lastSeen);
        }

        return new RunEventStream(id, from, follow ?? true, runs, hub);
    }

    private static Task<Results<Ok<RunView>, ProblemHttpResult>> CancelAsync(string id, ClaimsPrincipal user, WorkflowRuns runs, CancellationToken ct) =>
        runs.CancelAsync(id, user.Identity?.Name ?? "unknown", ct);

    private static string StateName(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "isolated",
    };
}
