namespace Berth.Client.Contracts;

/// <summary>What an ack or nack did to each ack id.</summary>
/// <param name="Settled">The ack ids acked (or nacked).</param>
/// <param name="NotHeld">The ack ids whose lease had expired, or that were settled already: those messages were or will be delivered again.</param>
public sealed record SettleResponse(IReadOnlyList<string> Settled, IReadOnlyList<string> NotHeld);
