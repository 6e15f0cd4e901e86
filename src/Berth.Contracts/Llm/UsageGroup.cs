namespace Berth.Core.Llm;

/// <summary>What one group of LLM calls used and cost.</summary>
public sealed record UsageGroup
{
    /// <summary>The group's key (an agent, a model, a run, a day or an endpoint); null for calls without one, such as calls outside a run.</summary>
    public string? Key { get; init; }

    /// <summary>Calls made, including those answered from the response cache and those that failed.</summary>
    public long Calls { get; init; }

    /// <summary>Calls among <see cref="Calls"/> still in flight: sent, and not yet settled with what they used.</summary>
    public long InFlight { get; init; }

    /// <summary>Calls among <see cref="Calls"/> answered from Berth's response cache (no tokens, no cost).</summary>
    public long CacheHits { get; init; }

    /// <summary>Prompt (input) tokens, cached ones included.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Prompt tokens the provider read from its prompt cache.</summary>
    public long CachedTokens { get; init; }

    /// <summary>Completion (output) tokens.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Prompt plus completion tokens.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>What the calls cost by the endpoints' price tables, in their currency.</summary>
    public decimal Cost { get; init; }
}
