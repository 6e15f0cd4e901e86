using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Problems;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Llm;

/// <summary>
/// The <c>/api/v1/budgets</c> routes: LLM budgets of agents (per UTC day or month) and of workflows (per run, or all runs per UTC
/// day or month), with what each window has used. Viewers read them; operators and admins set and remove them.
/// </summary>
internal static class BudgetsApi
{
    /// <summary>The largest cost limit: 1,000,000,000 (of the price tables' currency).</summary>
    public const decimal MaxCost = 1_000_000_000m;

    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api)
    {
        var budgets = api.MapGroup("/budgets").WithTags("LLM gateway");
        budgets.MapGet("/", ListAsync).WithName("ListBudgets").RequireAuthorization(BerthPolicies.Viewer)
            .WithDescription("Query: agent or workflow (only its budgets). Each budget with what its current window used, what is left and when it resets.");
        MapScope(budgets, BudgetScope.Agent, "agents", "the agent's budget for a UTC day or month (period day or month)");
        MapScope(budgets, BudgetScope.Workflow, "workflows", "the workflow's budget for each of its runs (period run), or for all its runs in a UTC day or month (day or month)");
        return api;
    }

    private static void MapScope(RouteGroupBuilder budgets, BudgetScope scope, string segment, string what)
    {
        var noun = scope == BudgetScope.Workflow ? "Workflow" : "Agent";
        budgets.MapPut($"/{segment}/{{name}}/{{period}}", (string name, string period, BudgetRequest request, ILlmBudgetStore store, TimeProvider time, CancellationToken ct) =>
                SetAsync(scope, name, period, request, store, time, ct))
            .WithName($"Set{noun}Budget").RequireAuthorization(BerthPolicies.Operator)
            .WithDescription($"Sets {what}: maxTokens, maxCost or both. A call that would break it is refused with 429 and not sent.");
        budgets.MapDelete($"/{segment}/{{name}}/{{period}}", (string name, string period, ILlmBudgetStore store, CancellationToken ct) =>
                RemoveAsync(scope, name, period, store, ct))
            .WithName($"Remove{noun}Budget").RequireAuthorization(BerthPolicies.Operator);
    }

    private static async Task<Results<Ok<IReadOnlyList<BudgetStatus>>, ProblemHttpResult>> ListAsync(
        string? agent, string? workflow, ILlmBudgetStore budgets, TimeProvider time, CancellationToken ct)
    {
        if (agent is not null && workflow is not null)
        {
            return Problems.Problems.BadRequest("Pass agent or workflow, not both.");
        }

        var (scope, name) = agent is not null ? (BudgetScope.Agent, agent) : workflow is not null ? (BudgetScope.Workflow, workflow) : ((BudgetScope?)null, (string?)null);
        if (name is not null && !SpecNames.IsDnsLabel(name))
        {
            return Problems.Problems.BadRequest($"{Noun(scope!.Value)} is not {Article(scope.Value)} name; expected {SpecNames.DnsLabelHint}.");
        }

        return TypedResults.Ok(await budgets.ListAsync(scope, name, time.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<BudgetStatus>, ProblemHttpResult>> SetAsync(
        BudgetScope scope, string name, string period, BudgetRequest request, ILlmBudgetStore budgets, TimeProvider time, CancellationToken ct)
    {
        var (window, problem) = Check(scope, name, period);
        if (problem is not null)
        {
            return problem;
        }

        if (request.MaxTokens is null && request.MaxCost is null)
        {
            return Problems.Problems.BadRequest("Set maxTokens, maxCost or both; to remove the budget, DELETE it.");
        }

        if (request.MaxTokens is < 1)
        {
            return Problems.Problems.BadRequest($"maxTokens {request.MaxTokens} is out of range; expected 1 or more tokens.");
        }

        if (request.MaxCost is <= 0m or > MaxCost)
        {
            return Problems.Problems.BadRequest($"maxCost {request.MaxCost} is out of range; expected more than 0 and at most {MaxCost}.");
        }

        var now = time.GetUtcNow();
        var budget = new LlmBudget { Scope = scope, Name = name, Period = window, MaxTokens = request.MaxTokens, MaxCost = request.MaxCost };
        await budgets.SetAsync(budget, now, ct);
        return TypedResults.Ok((await budgets.ListAsync(scope, name, now, ct)).Single(b => b.Budget.Period == budget.Period));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(BudgetScope scope, string name, string period, ILlmBudgetStore budgets, CancellationToken ct)
    {
        var (window, problem) = Check(scope, name, period);
        if (problem is not null)
        {
            return problem;
        }

        return await budgets.DeleteAsync(scope, name, window, ct)
            ? TypedResults.NoContent()
            : Problems.Problems.Problem(StatusCodes.Status404NotFound, "Budget not found", Problems.Problems.NotFoundType,
                $"{(scope == BudgetScope.Workflow ? "Workflow" : "Agent")} '{name}' has no {window.WireName()} budget. List budgets with 'berth budgets ls'.");
    }

    /// <summary>The period named in the route, or a 400 saying what is wrong with the name or the period.</summary>
    private static (BudgetPeriod Period, ProblemHttpResult? Problem) Check(BudgetScope scope, string name, string period) =>
        !SpecNames.IsDnsLabel(name) ? (default, Problems.Problems.BadRequest($"'{CallerText.Printable(name)}' is not {Article(scope)} name; expected {SpecNames.DnsLabelHint}."))
        : BudgetNames.TryParsePeriod(period, out var parsed) && scope.Allows(parsed) ? (parsed, null)
        : scope == BudgetScope.Workflow
            ? (default, Problems.Problems.BadRequest("period must be run (each run of the workflow), day or month (all its runs in a UTC calendar day or month)."))
            : (default, Problems.Problems.BadRequest("period must be day or month (a UTC calendar day or month); a per-run budget is set on a workflow."));

    private static string Noun(BudgetScope scope) => scope == BudgetScope.Workflow ? "workflow" : "agent";

    private static string Article(BudgetScope scope) => scope == BudgetScope.Workflow ? "a workflow" : "an agent";
}
