using Berth.Core.Llm;

namespace Berth.Core.Storage;

/// <summary>Budgets on LLM calls, of agents and of workflows. The calls' ledger checks them as it reserves (<see cref="ILlmCallStore"/>).</summary>
public interface ILlmBudgetStore
{
    /// <summary>
    /// Every budget (with <paramref name="scope"/> and <paramref name="name"/>, only that agent's or workflow's) with what its window
    /// holding <paramref name="now"/> has used, by scope, name, then period.
    /// </summary>
    Task<IReadOnlyList<BudgetStatus>> ListAsync(BudgetScope? scope, string? name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sets the budget of its scope, name and period, replacing one that was set.</summary>
    Task SetAsync(LlmBudget budget, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the budget of <paramref name="name"/> in <paramref name="scope"/> for <paramref name="period"/>; false when none was set.</summary>
    Task<bool> DeleteAsync(BudgetScope scope, string name, BudgetPeriod period, CancellationToken cancellationToken);

    /// <summary>
    /// Drops the usage counters of budgets' windows that no call has moved since <paramref name="before"/>; a window still open
    /// gets its counter again, summed from its calls, when a call is next checked against it. Returns how many were dropped.
    /// </summary>
    Task<int> DropIdleCountersAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
