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

/// <summary>
/// The <c>/api/v1/budgets</c> routes: agents' LLM budgets per UTC day or month, with what each window has used. Viewers read
/// them; operators and admins set and remove them.
/// </summary>
internal static class BudgetsApi
{
    /// <summary>The largest cost limit: 1,000,000,000 (of the price tables' currency).</summary>
    public const decimal MaxCost = 1_000_000_000m;

    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api)
    {
        var budgets = api.MapGroup("/budgets").WithTags("LLM gateway");
        budgets.MapGet("/", ListAsync).WithName("ListBudgets").RequireAuthorization(BerthPolicies.Viewer)
            .WithDescription("Query: agent (only its budgets). Each budget with what its current window used, what is left and when it resets.");
        budgets.MapPut("/{agent}/{period}", SetAsync).WithName("SetBudget").RequireAuthorization(BerthPolicies.Operator)
            .WithDescription("Sets the agent's budget for a UTC day or month (period day or month): maxTokens, maxCost or both. A call that would break it is refused with 429.");
        budgets.MapDelete("/{agent}/{period}", RemoveAsync).WithName("RemoveBudget").RequireAuthorization(BerthPolicies.Operator);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<BudgetStatus>>, ProblemHttpResult>> ListAsync(
        string? agent, ILlmBudgetStore budgets, TimeProvider time, CancellationToken ct)
    {
        if (agent is not null && !SpecNames.IsDnsLabel(agent))
        {
            return Problems.Problems.BadRequest($"agent is not an agent name; expected {SpecNames.DnsLabelHint}.");
        }

        return TypedResults.Ok(await budgets.ListAsync(agent, time.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<BudgetStatus>, ProblemHttpResult>> SetAsync(
        string agent, string period, BudgetRequest request, ILlmBudgetStore budgets, TimeProvider time, CancellationToken ct)
    {
        if (Check(agent, period) is { } problem)
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
        var budget = new LlmBudget { Agent = agent, Period = ParsePeriod(period), MaxTokens = request.MaxTokens, MaxCost = request.MaxCost };
        await budgets.SetAsync(budget, now, ct);
        return TypedResults.Ok((await budgets.ListAsync(agent, now, ct)).Single(b => b.Budget.Period == budget.Period));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string agent, string period, ILlmBudgetStore budgets, CancellationToken ct)
    {
        if (Check(agent, period) is { } problem)
        {
            return problem;
        }

        return await budgets.DeleteAsync(agent, ParsePeriod(period), ct)
            ? TypedResults.NoContent()
            : Problems.Problems.Problem(StatusCodes.Status404NotFound, "Budget not found", Problems.Problems.NotFoundType, $"Agent '{agent}' has no {period} budget. List budgets with 'berth budgets ls'.");
    }

    private static ProblemHttpResult? Check(string agent, string period) =>
        !SpecNames.IsDnsLabel(agent) ? Problems.Problems.BadRequest($"'{agent}' is not an agent name; expected {SpecNames.DnsLabelHint}.")
        : period is not ("day" or "month") ? Problems.Problems.BadRequest("period must be day or month (a UTC calendar day or month).")
        : null;

    private static BudgetPeriod ParsePeriod(string period) => period == "month" ? BudgetPeriod.Month : BudgetPeriod.Day;
}
