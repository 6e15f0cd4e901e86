using System.ComponentModel;
using Berth.Client.Contracts;
using Berth.Server.Llm;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// <c>get_usage</c>: what LLM calls through Berth's gateway used and cost, grouped, so an AI client can see what agents spend.
/// Any caller of the endpoint (a viewer) may use it: it reads what <c>/api/v1/usage</c> shows.
/// </summary>
[McpServerToolType]
internal sealed class UsageTools(UsageReports reports)
{
    [McpServerTool(Name = "get_usage", Title = "Get LLM usage", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Reports what LLM calls through Berth's gateway used and cost: per group (agent, model, run, workflow, day or endpoint) the calls, prompt, cached and completion tokens and the cost by the endpoints' price tables, plus a total.")]
    public async Task<UsageReport> GetUsageAsync(
        [Description("How far back: a duration like 24h or 7d, or an ISO 8601 time. Default 7d.")] string since = "7d",
        [Description("Group by agent, model, run, workflow, day or endpoint. Default agent.")] string by = "agent",
        [Description("Only this agent's calls. Default: every caller.")] string? agent = null,
        [Description("Only the calls of this workflow run. Default: every call.")] string? run = null,
        [Description("Only the calls made for runs of this workflow. Default: every call.")] string? workflow = null,
        CancellationToken cancellationToken = default)
    {
        var (report, problem) = await reports.BuildAsync(new UsageArguments(since, by, agent, run, workflow), cancellationToken);
        return report ?? throw new ToolFailure(problem!);
    }
}
