namespace Berth.Core.Llm;

/// <summary>Tokens one call used, as its provider reported them.</summary>
/// <param name="Prompt">Prompt (input) tokens, those read from the provider's prompt cache included.</param>
/// <param name="Cached">Prompt tokens read from the provider's prompt cache.</param>
/// <param name="Completion">Completion (output) tokens.</param>
public readonly record struct TokenUsage(long Prompt, long Cached, long Completion)
{
    /// <summary>No tokens.</summary>
    public static readonly TokenUsage None;

    /// <summary>Prompt plus completion tokens.</summary>
    public long Total => Prompt + Completion;

    /// <summary>
    /// What the tokens cost at <paramref name="price"/>, in billionths of its currency (rounded half away from zero): uncached
    /// prompt tokens at the input price, cached ones at the cached-input price (the input price when unset), completion tokens
    /// at the output price. Zero without a price.
    /// </summary>
    public long CostNanos(ModelPrice? price)
    {
        if (price is null)
        {
            return 0;
        }

        var cached = Math.Min(Cached, Prompt);
        var perMillion = ((Prompt - cached) * price.Input) + (cached * (price.CachedInput ?? price.Input)) + (Completion * price.Output);
        return (long)decimal.Round(perMillion * 1000m, MidpointRounding.AwayFromZero);
    }

    /// <summary>Billionths of a currency unit as the unit (<c>1_500_000</c> is 0.0015).</summary>
    public static decimal FromNanos(long nanos) => nanos / 1_000_000_000m;

    /// <summary>A cost in billionths of its unit, rounded half away from zero (<c>0.0015</c> is <c>1_500_000</c>).</summary>
    public static long ToNanos(decimal cost) => (long)decimal.Round(cost * 1_000_000_000m, MidpointRounding.AwayFromZero);
}
