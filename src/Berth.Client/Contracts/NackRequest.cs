namespace Berth.Client.Contracts;

/// <summary>The body of <c>POST …/nack</c>: deliveries given back, to be delivered again after a delay.</summary>
public sealed record NackRequest
{
    /// <summary>The ack ids, as deliveries carried them (at most 1000).</summary>
    public IReadOnlyList<string> AckIds { get; init; } = [];

    /// <summary>How long before the next delivery; null for the subscription's backoff.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Why, kept as the message's last error (at most 256 characters); null for none.</summary>
    public string? Reason { get; init; }
}
