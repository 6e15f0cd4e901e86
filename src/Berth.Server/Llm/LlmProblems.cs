using System.Globalization;
using Berth.Core.Llm;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using P = Berth.Server.Problems.Problems;

namespace Berth.Server.Llm;

/// <summary>The gateway's own answers (the provider's answers pass through as they are).</summary>
internal static class LlmProblems
{
    public const string UsageUnrecordedType = "urn:berth:problem:usage-unrecorded";

    public const string BudgetExceededType = "urn:berth:problem:budget-exceeded";

    public static ProblemHttpResult EndpointNotFound(string name) => P.Problem(
        StatusCodes.Status404NotFound, "Model endpoint not found", P.NotFoundType, $"No model endpoint named '{name}'. List them with 'berth model-endpoints ls'.");

    public static ProblemHttpResult PathNotServed(ModelEndpointSpec endpoint, string method, string path) => P.Problem(
        StatusCodes.Status404NotFound, "Not served by the gateway", P.NotFoundType,
        $"{method} {Shown(path)} is not served for model endpoint '{endpoint.Name}' ({endpoint.Provider.WireName()}); it serves {LlmOperation.Served(endpoint.Provider)} under /llm/{endpoint.Name}/.");

    public static ProblemHttpResult ModelNotListed(ModelEndpointSpec endpoint, string model) => P.Problem(
        StatusCodes.Status404NotFound, "Model not offered", P.NotFoundType,
        $"Model endpoint '{endpoint.Name}' does not offer model '{model}'; it offers {string.Join(", ", endpoint.Models.Select(Describe))}.");

    public static ProblemHttpResult ModelNotGranted(string agent, ModelEndpointSpec endpoint, ModelEntry model) => P.Problem(
        StatusCodes.Status403Forbidden, "Forbidden", BearerTokenHandler.ForbiddenType,
        $"Agent '{agent}' may not use model '{model.Name}' of endpoint '{endpoint.Name}': add '{endpoint.Name}' or '{endpoint.Name}/{model.Alias ?? model.Name}' to its spec's access.models and apply it.");

    public static ProblemHttpResult UsageUnrecorded(string endpoint) => P.Problem(
        StatusCodes.Status503ServiceUnavailable, "Usage cannot be recorded", UsageUnrecordedType,
        $"The call to model endpoint '{endpoint}' was not sent: Berth could not record it, and never lets a call through unmetered. Try again; if it persists, the store needs attention (see the server log).");

    /// <summary>
    /// A 429 naming the budget, what is left and when it resets (also as <c>Retry-After</c>; a per-run budget never resets, so it
    /// has neither); nothing was sent.
    /// </summary>
    public static ProblemHttpResult OverBudget(HttpContext context, BudgetRefusal refusal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        var status = refusal.Status;
        var budget = status.Budget;
        var period = budget.Period switch { BudgetPeriod.Month => "monthly", BudgetPeriod.Run => "per-run", _ => "daily" };
        var owner = budget.Scope == BudgetScope.Workflow ? $"Workflow '{budget.Name}'" : $"Agent '{budget.Name}'";
        var what = refusal.ByCost
            ? string.Create(CultureInfo.InvariantCulture, $"{period} cost budget of {budget.MaxCost} has {status.RemainingCost} left")
            : string.Create(CultureInfo.InvariantCulture, $"{period} token budget of {budget.MaxTokens} has {status.RemainingTokens} left");
        var estimate = refusal.ByCost
            ? string.Create(CultureInfo.InvariantCulture, $"this call may cost up to {refusal.EstimatedCost}")
            : string.Create(CultureInfo.InvariantCulture, $"this call may use up to {refusal.EstimatedTokens} (its prompt and max_tokens)");
        var periodName = budget.Period.WireName();
        var raise = $"an operator can raise it with 'berth budgets set {budget.Subject} --period {periodName}'";
        string when;
        if (status.ResetsAt is { } resetsAt)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, (resetsAt - now).TotalSeconds))).ToString(CultureInfo.InvariantCulture);
            when = $"The budget resets at {resetsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}; {raise}.";
        }
        else
        {
            when = $"Run '{status.RunId}' cannot make more calls of this size; {raise} for the runs to come.";
        }

        return TypedResults.Problem(
            detail: $"{owner}'s {what}{(status.RunId is { } run ? $" in run '{run}'" : "")}; {estimate}. The call was not sent. {when}",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "LLM budget exceeded",
            type: BudgetExceededType,
            extensions: new Dictionary<string, object?>
            {
                ["scope"] = budget.Scope.WireName(),
                ["name"] = budget.Name,
                ["period"] = periodName,
                ["run"] = status.RunId,
                ["limit"] = refusal.ByCost ? budget.MaxCost : budget.MaxTokens,
                ["remaining"] = refusal.ByCost ? status.RemainingCost : status.RemainingTokens,
                ["estimate"] = refusal.ByCost ? refusal.EstimatedCost : refusal.EstimatedTokens,
                ["resetsAt"] = status.ResetsAt,
            });
    }

    public static ProblemHttpResult NoAnswer(string endpoint, IReadOnlyList<string> failovers) => P.Problem(
        StatusCodes.Status502BadGateway, "No provider answered", P.BadGatewayType,
        $"Model endpoint '{endpoint}' got no answer from any provider it tried: {string.Join("; ", failovers)}.");

    private static string Describe(ModelEntry model) => model.Alias is { } alias ? $"{model.Name} (alias {alias})" : model.Name;

    private static string Shown(string path) => path.Length > 100 ? path[..100] + "…" : path;
}
