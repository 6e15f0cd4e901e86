namespace Berth.Core.Llm;

/// <summary>
/// A limit on what LLM calls may use, in tokens, cost or both: one agent's calls in a UTC day or month, or the calls made for a
/// workflow's steps in each of its runs or in a UTC day or month.
/// </summary>
public sealed record LlmBudget
{
    /// <summary>Whose calls the budget limits.</summary>
    public required BudgetScope Scope { get; init; }

    /// <summary>The agent's or the workflow's name.</summary>
    public required string Name { get; init; }

    /// <summary>The window it limits; <see cref="BudgetPeriod.Run"/> only for a workflow.</summary>
    public required BudgetPeriod Period { get; init; }

    /// <summary>Most tokens (prompt plus completion) in the window; null for no token limit.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Most cost in the window, by the endpoints' price tables; null for no cost limit.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>How the budget is named in the CLI and in messages: <c>agent/NAME</c> or <c>workflow/NAME</c>.</summary>
    public string Subject => $"{Scope.WireName()}/{Name}";

    /// <summary>The start of the calendar window of <paramref name="period"/> that holds <paramref name="now"/>.</summary>
    public static DateTimeOffset WindowStart(BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period switch
        {
            BudgetPeriod.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "a run is not a calendar window"),
        };
    }

    /// <summary>When the calendar window of <paramref name="period"/> that holds <paramref name="now"/> ends and the budget is whole again.</summary>
    public static DateTimeOffset WindowEnd(BudgetPeriod period, DateTimeOffset now) =>
        period == BudgetPeriod.Month ? WindowStart(period, now).AddMonths(1) : WindowStart(period, now).AddDays(1);
}
