namespace Berth.Core.Llm;

/// <summary>Why a call was not reserved: the budget it would break, what the window has used, and what the call might use.</summary>
public sealed record BudgetRefusal
{
    /// <summary>The budget, with what its window has used.</summary>
    public required BudgetStatus Status { get; init; }

    /// <summary>The most tokens the call might use, as estimated before it would go out.</summary>
    public required long EstimatedTokens { get; init; }

    /// <summary>What those tokens might cost.</summary>
    public required decimal EstimatedCost { get; init; }

    /// <summary>True when the cost limit is the one broken; false for the token limit.</summary>
    public required bool ByCost { get; init; }
}
