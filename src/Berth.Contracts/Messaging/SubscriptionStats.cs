namespace Berth.Core.Messaging;

/// <summary>How many messages one subscription holds, by state.</summary>
/// <param name="Ready">Waiting to be delivered, now or after a delay.</param>
/// <param name="Leased">Delivered and not acked yet.</param>
/// <param name="Dead">Dead-lettered.</param>
public sealed record SubscriptionStats(long Ready, long Leased, long Dead);
