using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Llm;

/// <summary><c>GET /api/v1/usage</c>: what LLM calls through the gateway used and cost, grouped by agent, model, run, day or endpoint.</summary>
internal static class UsageApi
{
    /// <summary>The window counted when none is given: the last 7 days.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", ReportAsync).WithTags("LLM gateway").WithName("GetUsage").RequireAuthorization(BerthPolicies.Viewer)
            .WithDescription("Query: since (a duration like 7d, or an ISO 8601 time; default 7d), by (agent, model, run, day or endpoint; default agent), agent, run.");
        return api;
    }

    private static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> ReportAsync(
        string? since, string? by, string? agent, string? run, ILlmCallStore calls, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var from = now - DefaultWindow;
        if (since is not null && !Since.TryParse(since, now, out from))
        {
            return Problems.Problems.BadRequest($"since '{Shown(since)}' is not valid; expected {Since.Hint}.");
        }

        if (!UsageGroupings.TryParse(by, out var grouping))
        {
            return Problems.Problems.BadRequest($"by '{Shown(by!)}' is not valid; expected one of {UsageGroupings.Names}.");
        }

        if (agent is not null && !SpecNames.IsDnsLabel(agent))
        {
            return Problems.Problems.BadRequest($"agent '{Shown(agent)}' is not an agent name; expected {SpecNames.DnsLabelHint}.");
        }

        if (run is { Length: > 64 })
        {
            return Problems.Problems.BadRequest("run is longer than a run id can be; expected a run id from 'berth runs ls'.");
        }

        var groups = await calls.SummarizeAsync(new UsageQuery { Since = from, By = grouping, Agent = agent, RunId = run }, ct);
        return TypedResults.Ok(new UsageReport
        {
            Since = from,
            By = grouping,
            Agent = agent,
            Run = run,
            Groups = groups,
            Total = new UsageGroup
            {
                Calls = groups.Sum(g => g.Calls),
                PromptTokens = groups.Sum(g => g.PromptTokens),
                CachedTokens = groups.Sum(g => g.CachedTokens),
                CompletionTokens = groups.Sum(g => g.CompletionTokens),
                Cost = groups.Sum(g => g.Cost),
            },
        });
    }

    private static string Shown(string text) => new([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
