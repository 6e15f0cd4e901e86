namespace Berth.Core.Llm;

/// <summary>How a recorded LLM call ended: what it used and cost, or why it failed.</summary>
public sealed record LlmCallEnd
{
    /// <summary>The id the call was recorded with.</summary>
    public required string Id { get; init; }

    /// <summary>When the answer ended (or the call failed).</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>False when no answer came back in full (it then counts only the tokens the provider reported, if any).</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The endpoint that answered (another than the one named after a failover); null when none did.</summary>
    public string? ServedBy { get; init; }

    /// <summary>The status the caller got.</summary>
    public int? Status { get; init; }

    /// <summary>Upstream attempts, over every endpoint tried.</summary>
    public int Attempts { get; init; }

    /// <summary>The endpoints given up on, with why (<c>primary: 503</c>); null when the first answered.</summary>
    public string? Failovers { get; init; }

    /// <summary>Why the call failed, for operators (no secret, no prompt); null when it did not.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the answer came from Berth's response cache (no tokens, no cost).</summary>
    public bool CacheHit { get; init; }

    /// <summary>The tokens the provider reported.</summary>
    public TokenUsage Usage { get; init; }

    /// <summary>What <see cref="Usage"/> cost, in billionths of the currency.</summary>
    public long CostNanos { get; init; }

    /// <summary>From receiving the call to the end of the answer.</summary>
    public TimeSpan Latency { get; init; }
}
