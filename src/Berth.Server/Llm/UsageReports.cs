using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Berth.Core.Storage;

namespace Berth.Server.Llm;

/// <summary>
/// Builds the usage report <c>GET /api/v1/usage</c> and the MCP tool <c>get_usage</c> answer, from the same arguments as text
/// (a caller's own), each checked with a message that says what is accepted.
/// </summary>
internal sealed class UsageReports(ILlmCallStore calls, TimeProvider time)
{
    /// <summary>The window counted when none is given: the last 7 days.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    /// <summary>The report, or why the arguments cannot make one (for a 400 or a tool error).</summary>
    public async Task<(UsageReport? Report, string? Problem)> BuildAsync(string? since, string? by, string? agent, string? run, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - DefaultWindow;
        if (since is not null && !Since.TryParse(since, now, out from))
        {
            return (null, $"since '{Shown(since)}' is not valid; expected {Since.Hint}.");
        }

        if (!UsageGroupings.TryParse(by, out var grouping))
        {
            return (null, $"by '{Shown(by!)}' is not valid; expected one of {UsageGroupings.Names}.");
        }

        if (agent is not null && !SpecNames.IsDnsLabel(agent))
        {
            return (null, $"agent '{Shown(agent)}' is not an agent name; expected {SpecNames.DnsLabelHint}.");
        }

        if (run is { Length: > 64 } || run?.Any(char.IsControl) == true)
        {
            return (null, "run is not a run id; expected one from 'berth runs ls'.");
        }

        var groups = await calls.SummarizeAsync(new UsageQuery { Since = from, By = grouping, Agent = agent, RunId = run }, cancellationToken);
        return (new UsageReport
        {
            Since = from,
            By = grouping,
            Agent = agent,
            Run = run,
            Groups = groups,
            Total = new UsageGroup
            {
                Calls = groups.Sum(g => g.Calls),
                InFlight = groups.Sum(g => g.InFlight),
                CacheHits = groups.Sum(g => g.CacheHits),
                PromptTokens = groups.Sum(g => g.PromptTokens),
                CachedTokens = groups.Sum(g => g.CachedTokens),
                CompletionTokens = groups.Sum(g => g.CompletionTokens),
                Cost = groups.Sum(g => g.Cost),
            },
        }, null);
    }

    private static string Shown(string text) => new([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
