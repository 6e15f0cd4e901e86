using Berth.Core.Requests;

namespace Berth.Client.Contracts;

/// <summary>A stored proxied request as the API lists it.</summary>
public sealed record RequestView
{
    /// <summary>The request's id.</summary>
    public required string Id { get; init; }

    /// <summary>Arrival order across all requests; pass it as <c>before</c> to page.</summary>
    public required long Sequence { get; init; }

    /// <summary>The agent it is for.</summary>
    public required string Agent { get; init; }

    /// <summary>Its state.</summary>
    public required RequestState State { get; init; }

    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Path and query sent to the agent.</summary>
    public required string Target { get; init; }

    /// <summary>The agent's status code once completed; null before.</summary>
    public int? Status { get; init; }

    /// <summary>Attempts made and allowed.</summary>
    public required int Attempts { get; init; }

    /// <summary>Attempts allowed before dead-lettering.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>How the last failed attempt failed, if one did.</summary>
    public DeliveryFailure? LastFailure { get; init; }

    /// <summary>What the last failed attempt reported.</summary>
    public string? LastError { get; init; }

    /// <summary>The caller's <c>Idempotency-Key</c>, if any.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who sent it.</summary>
    public required string Caller { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>When it is tried again, while retrying.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When it completed or was dead-lettered.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}
