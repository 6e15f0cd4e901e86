namespace Berth.Core.Llm;

/// <summary>A limit on what one agent's LLM calls may use in a UTC day or month: tokens, cost, or both.</summary>
public sealed record LlmBudget
{
    /// <summary>The agent the budget limits.</summary>
    public required string Agent { get; init; }

    /// <summary>The window it limits.</summary>
    public required BudgetPeriod Period { get; init; }

    /// <summary>Most tokens (prompt plus completion) in the window; null for no token limit.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Most cost in the window, by the endpoints' price tables; null for no cost limit.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>The start of the window that holds <paramref name="now"/>.</summary>
    public static DateTimeOffset WindowStart(BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period == BudgetPeriod.Month
            ? new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>When the window that holds <paramref name="now"/> ends and the budget is whole again.</summary>
    public static DateTimeOffset WindowEnd(BudgetPeriod period, DateTimeOffset now) =>
        period == BudgetPeriod.Month ? WindowStart(period, now).AddMonths(1) : WindowStart(period, now).AddDays(1);
}
