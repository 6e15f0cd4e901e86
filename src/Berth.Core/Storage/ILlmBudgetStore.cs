using Berth.Core.Llm;

namespace Berth.Core.Storage;

/// <summary>Budgets on agents' LLM calls. The calls' ledger checks them as it reserves (<see cref="ILlmCallStore"/>).</summary>
public interface ILlmBudgetStore
{
    /// <summary>Every budget (of <paramref name="agent"/> alone when given) with what its window holding <paramref name="now"/> has used, by agent then period.</summary>
    Task<IReadOnlyList<BudgetStatus>> ListAsync(string? agent, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sets the budget of its agent and period, replacing one that was set.</summary>
    Task SetAsync(LlmBudget budget, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the budget of <paramref name="agent"/> for <paramref name="period"/>; false when none was set.</summary>
    Task<bool> DeleteAsync(string agent, BudgetPeriod period, CancellationToken cancellationToken);
}
