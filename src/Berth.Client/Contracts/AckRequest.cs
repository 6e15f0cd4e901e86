namespace Berth.Client.Contracts;

/// <summary>The body of <c>POST …/ack</c>: the ack ids of the deliveries that are done (at most 1000).</summary>
public sealed record AckRequest
{
    /// <summary>The ack ids, as deliveries carried them.</summary>
    public IReadOnlyList<string> AckIds { get; init; } = [];
}
