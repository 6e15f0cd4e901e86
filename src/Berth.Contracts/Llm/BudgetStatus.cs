namespace Berth.Core.Llm;

/// <summary>A budget with what its current window has used.</summary>
public sealed record BudgetStatus
{
    /// <summary>The budget.</summary>
    public required LlmBudget Budget { get; init; }

    /// <summary>Tokens the window's calls used (those in flight at their estimate).</summary>
    public long UsedTokens { get; init; }

    /// <summary>What the window's calls cost (those in flight at their estimate).</summary>
    public decimal UsedCost { get; init; }

    /// <summary>Tokens left; null without a token limit.</summary>
    public long? RemainingTokens => Budget.MaxTokens is { } max ? Math.Max(0, max - UsedTokens) : null;

    /// <summary>Cost left; null without a cost limit.</summary>
    public decimal? RemainingCost => Budget.MaxCost is { } max ? Math.Max(0, max - UsedCost) : null;

    /// <summary>When the window ends and the budget is whole again (UTC).</summary>
    public required DateTimeOffset ResetsAt { get; init; }
}
