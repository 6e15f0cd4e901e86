namespace Berth.Bench.Llm;

/// <summary>Calls and the tokens they used, as the usage ledger totals them.</summary>
internal readonly record struct UsageTotal(long Calls, long PromptTokens, long CompletionTokens);
