namespace Berth.Core.Llm;

/// <summary>What a model costs, per million tokens, in the currency the operator bills in (one currency per Berth).</summary>
public sealed record ModelPrice
{
    /// <summary>Per million prompt tokens that were not read from the provider's prompt cache. Default 0.</summary>
    public decimal Input { get; set; }

    /// <summary>Per million prompt tokens read from the provider's prompt cache. Null: the <see cref="Input"/> price.</summary>
    public decimal? CachedInput { get; set; }

    /// <summary>Per million completion (output) tokens. Default 0.</summary>
    public decimal Output { get; set; }
}
