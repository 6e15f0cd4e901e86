namespace Berth.Core.Llm;

/// <summary>How much one endpoint may be called, per server, over any minute; a call past a limit is answered 429 with <c>Retry-After</c>.</summary>
public sealed record ModelLimits
{
    /// <summary>Calls per minute, 1 to 1,000,000. Null: unlimited.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Tokens per minute (each call counts its estimate: prompt size plus <c>max_tokens</c>), 1 to 1,000,000,000. Null: unlimited.</summary>
    public long? TokensPerMinute { get; set; }
}
