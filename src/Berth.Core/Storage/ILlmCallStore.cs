using Berth.Core.Llm;

namespace Berth.Core.Storage;

/// <summary>The record of every call through the LLM gateway. Implementations are safe for concurrent use.</summary>
public interface ILlmCallStore
{
    /// <summary>Records a call before it goes out; if this throws, the call must not be sent.</summary>
    Task RecordStartAsync(LlmCallStart started, CancellationToken cancellationToken);

    /// <summary>Records what the call used and cost, or why it failed.</summary>
    Task RecordEndAsync(LlmCallEnd ended, CancellationToken cancellationToken);

    /// <summary>What the calls the query covers used and cost, one group per key, ordered by key.</summary>
    Task<IReadOnlyList<UsageGroup>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken);
}
