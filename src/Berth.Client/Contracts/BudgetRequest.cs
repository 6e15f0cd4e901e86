namespace Berth.Client.Contracts;

/// <summary>
/// The body of <c>PUT /api/v1/budgets/agents/{name}/{period}</c> and <c>PUT /api/v1/budgets/workflows/{name}/{period}</c>: the
/// limits to set; at least one.
/// </summary>
public sealed record BudgetRequest
{
    /// <summary>Most tokens (prompt plus completion) in the window, 1 or more; null for no token limit.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Most cost in the window, by the endpoints' price tables, more than 0; null for no cost limit.</summary>
    public decimal? MaxCost { get; init; }
}
