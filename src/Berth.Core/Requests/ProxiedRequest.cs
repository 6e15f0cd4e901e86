namespace Berth.Core.Requests;

/// <summary>A request the proxy accepted for an agent, stored before it is forwarded so it is never lost.</summary>
public sealed record ProxiedRequest
{
    /// <summary>Berth's id for the request: 32 lowercase hex digits, time-ordered.</summary>
    public required string Id { get; init; }

    /// <summary>Arrival order across all requests, assigned by the store; 0 until stored.</summary>
    public long Sequence { get; init; }

    /// <summary>The agent it is for.</summary>
    public required string AgentName { get; init; }

    /// <summary>Current state.</summary>
    public required RequestState State { get; init; }

    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Path and query as sent to the agent (<c>/summarize?lang=en</c>).</summary>
    public required string Target { get; init; }

    /// <summary>Headers and body to send; null when read without payloads (lists).</summary>
    public StoredMessage? Message { get; init; }

    /// <summary>Body length in bytes.</summary>
    public long BodyLength { get; init; }

    /// <summary>The caller's <c>Idempotency-Key</c>, unique per agent and <see cref="IdempotencyScope"/>; null without one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Whose key <see cref="IdempotencyKey"/> is: the calling agent (<c>agent:summarizer</c>, whichever instance) or token
    /// (<c>token:1a2b3c4d5e6f</c>). Another caller's request with the same key is a different request. Null without a key.
    /// </summary>
    public string? IdempotencyScope { get; init; }

    /// <summary>SHA-256 (hex) over method, target and body, to tell a reused key with a different request.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Who sent it (<c>token:1a2b3c4d5e6f</c>, <c>agent:summarizer</c>).</summary>
    public required string Caller { get; init; }

    /// <summary>The calling agent when an agent's own token sent it; null otherwise.</summary>
    public string? CallerAgent { get; init; }

    /// <summary>Delivery attempts started so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Attempts allowed before the request is dead-lettered (the agent's <c>persistence.maxAttempts</c> when accepted).</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When a retrying request may be attempted again; null otherwise.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When it completed or was dead-lettered; null before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The server holding the dispatch lease; null unless dispatched.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease ends; a dispatched request whose lease ended returns to the queue.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>How the last failed attempt failed; null when none failed.</summary>
    public DeliveryFailure? LastFailure { get; init; }

    /// <summary>What the last failed attempt reported.</summary>
    public string? LastError { get; init; }

    /// <summary>The agent's answer once completed; null before. In lists read without payloads its message is empty.</summary>
    public StoredResponse? Response { get; init; }
}
