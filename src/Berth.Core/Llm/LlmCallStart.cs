namespace Berth.Core.Llm;

/// <summary>A call through the LLM gateway as it is recorded before it goes out.</summary>
public sealed record LlmCallStart
{
    /// <summary>The call's id (32 lowercase hex characters), also sent back in <c>Berth-Llm-Call</c>.</summary>
    public required string Id { get; init; }

    /// <summary>When the gateway received it.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The endpoint the caller named.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The endpoint's provider.</summary>
    public required ModelProvider Provider { get; init; }

    /// <summary>What was asked: <c>chat</c>, <c>responses</c>, <c>embeddings</c> or <c>messages</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The model as the caller named it (perhaps an alias).</summary>
    public required string Model { get; init; }

    /// <summary>The provider's name of the model, which went upstream.</summary>
    public required string UpstreamModel { get; init; }

    /// <summary>Who called: the agent's name, or <c>token:ID</c> for a user's token.</summary>
    public required string Caller { get; init; }

    /// <summary>The calling agent; null for a user's token.</summary>
    public string? Agent { get; init; }

    /// <summary>The id of the token the call authenticated with.</summary>
    public string? TokenId { get; init; }

    /// <summary>The workflow run the call was made for, from the token Berth minted for its step; null outside a run.</summary>
    public string? RunId { get; init; }

    /// <summary>The step of <see cref="RunId"/>; null outside a run.</summary>
    public string? StepId { get; init; }

    /// <summary>Whether the caller asked for a stream.</summary>
    public bool Streamed { get; init; }

    /// <summary>The tokens the call may use at most, estimated before it goes out (prompt size plus <c>max_tokens</c>).</summary>
    public long ReservedTokens { get; init; }

    /// <summary>What <see cref="ReservedTokens"/> would cost, in billionths of the currency.</summary>
    public long ReservedNanos { get; init; }
}
