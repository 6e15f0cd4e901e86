using Berth.Client.Contracts;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Llm;

/// <summary><c>GET /api/v1/usage</c>: what LLM calls through the gateway used and cost, grouped by agent, model, run, workflow, day or endpoint.</summary>
internal static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", ReportAsync).WithTags("LLM gateway").WithName("GetUsage").RequireAuthorization(BerthPolicies.Viewer)
            .WithDescription("Query: since (a duration like 7d, or an ISO 8601 time; default 7d), by (agent, model, run, workflow, day or endpoint; default agent), agent, run, workflow.");
        return api;
    }

    private static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> ReportAsync(
        string? since, string? by, string? agent, string? run, string? workflow, UsageReports reports, CancellationToken ct)
    {
        var (report, problem) = await reports.BuildAsync(new UsageArguments(since, by, agent, run, workflow), ct);
        return report is not null ? TypedResults.Ok(report) : Problems.Problems.BadRequest(problem!);
    }
}
