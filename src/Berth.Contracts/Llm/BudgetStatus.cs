namespace Berth.Core.Llm;

/// <summary>A budget with what its current window has used.</summary>
public sealed record BudgetStatus
{
    /// <summary>The budget.</summary>
    public required LlmBudget Budget { get; init; }

    /// <summary>
    /// For a per-run budget, the run whose use is shown: the one a refused call belonged to, or in a listing the workflow's latest
    /// run that made calls (null when none has). Null for a calendar window.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>Tokens the window's calls used (those in flight at their estimate).</summary>
    public long UsedTokens { get; init; }

    /// <summary>What the window's calls cost (those in flight at their estimate).</summary>
    public decimal UsedCost { get; init; }

    /// <summary>Tokens left; null without a token limit.</summary>
    public long? RemainingTokens => Budget.MaxTokens is { } max ? Math.Max(0, max - UsedTokens) : null;

    /// <summary>Cost left; null without a cost limit.</summary>
    public decimal? RemainingCost => Budget.MaxCost is { } max ? Math.Max(0, max - UsedCost) : null;

    /// <summary>When the window ends and the budget is whole again (UTC); null for a per-run budget, which each run starts whole.</summary>
    public DateTimeOffset? ResetsAt { get; init; }
}
