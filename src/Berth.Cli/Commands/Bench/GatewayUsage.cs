using Berth.Core.Llm;

namespace Berth.Cli.Commands.Bench;

/// <summary>What the benchmarked agent's LLM calls through Berth's gateway used from the bench's start until its report.</summary>
/// <param name="Calls">Calls made, those answered from Berth's response cache and those that failed included.</param>
/// <param name="InFlight">Calls among them not yet settled when the report was read: counted, without their tokens and cost.</param>
/// <param name="CacheHits">Calls answered from Berth's response cache (no tokens, no cost).</param>
/// <param name="PromptTokens">Prompt (input) tokens, cached ones included.</param>
/// <param name="CachedTokens">Prompt tokens the provider read from its prompt cache.</param>
/// <param name="CompletionTokens">Completion (output) tokens.</param>
/// <param name="TotalTokens">Prompt plus completion tokens.</param>
/// <param name="Cost">What the calls cost by the endpoints' price tables, in their currency.</param>
internal sealed record GatewayUsage(
    long Calls, long InFlight, long CacheHits, long PromptTokens, long CachedTokens, long CompletionTokens, long TotalTokens, decimal Cost)
{
    /// <summary>The usage of <paramref name="total"/>; null when it counts no call, so an agent that made none adds nothing to the report.</summary>
    public static GatewayUsage? Of(UsageGroup total) =>
        total.Calls == 0
            ? null
            : new(total.Calls, total.InFlight, total.CacheHits, total.PromptTokens, total.CachedTokens, total.CompletionTokens, total.TotalTokens, total.Cost);
}
