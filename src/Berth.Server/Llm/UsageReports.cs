using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Problems;

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
    public async Task<(UsageReport? Report, string? Problem)> BuildAsync(UsageArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var (since, by, agent, run, workflow) = arguments;
        var now = time.GetUtcNow();
        var from = now - DefaultWindow;
        if (since is not null && !Since.TryParse(since, now, out from))
        {
            return (null, $"since '{CallerText.Printable(since)}' is not valid; expected {Since.Hint}.");
        }

        if (!UsageGroupings.TryParse(by, out var grouping))
        {
            return (null, $"by '{CallerText.Printable(by!)}' is not valid; expected one of {UsageGroupings.Names}.");
        }

        if (agent is not null && !SpecNames.IsDnsLabel(agent))
        {
            return (null, $"agent '{CallerText.Printable(agent)}' is not an agent name; expected {SpecNames.DnsLabelHint}.");
        }

        if (workflow is not null && !SpecNames.IsDnsLabel(workflow))
        {
            return (null, $"workflow '{CallerText.Printable(workflow)}' is not a workflow name; expected {SpecNames.DnsLabelHint}.");
        }

        if (run is { Length: > 64 } || run?.Any(char.IsControl) == true)
        {
            return (null, "run is not a run id; expected one from 'berth runs ls'.");
        }

        var groups = await calls.SummarizeAsync(new UsageQuery { Since = from, By = grouping, Agent = agent, RunId = run, Workflow = workflow }, cancellationToken);
        return (new UsageReport
        {
            Since = from,
            By = grouping,
            Agent = agent,
            Run = run,
            Workflow = workflow,
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
}

/// <summary>What a usage report was asked for, as the caller wrote it: each checked by <see cref="UsageReports.BuildAsync"/>.</summary>
/// <param name="Since">A duration like <c>7d</c> or an ISO 8601 time; null for the last 7 days.</param>
/// <param name="By">The grouping; null for by agent.</param>
/// <param name="Agent">Only this agent's calls.</param>
/// <param name="Run">Only this run's calls.</param>
/// <param name="Workflow">Only the calls made for runs of this workflow.</param>
internal sealed record UsageArguments(string? Since, string? By, string? Agent, string? Run, string? Workflow);
