using Berth.Core.Llm;

namespace Berth.Core.Storage;

/// <summary>The record of every call through the LLM gateway. Implementations are safe for concurrent use.</summary>
public interface ILlmCallStore
{
    /// <summary>
    /// Records a call before it goes out, reserving its estimate against every budget of its agent and of its run's workflow in one transaction (so
    /// servers sharing the store cannot both spend what is left); null when recorded, the refusal when a budget would be broken
    /// (nothing is recorded then). If this throws, the call must not be sent.
    /// </summary>
    Task<BudgetRefusal?> RecordStartAsync(LlmCallStart started, CancellationToken cancellationToken);

    /// <summary>Records what the call used and cost, or why it failed.</summary>
    Task RecordEndAsync(LlmCallEnd ended, CancellationToken cancellationToken);

    /// <summary>
    /// Marks lost every call reserved before <paramref name="before"/> and never settled (its server stopped mid-call); it stays
    /// counted at its estimate. Returns how many were marked.
    /// </summary>
    Task<int> MarkLostAsync(DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>What the calls the query covers used and cost, one group per key, ordered by key.</summary>
    Task<IReadOnlyList<UsageGroup>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken);
}
