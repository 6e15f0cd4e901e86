namespace Berth.Client.Contracts;

/// <summary>How many messages a requeue or purge touched.</summary>
/// <param name="Count">The number of messages.</param>
public sealed record CountResponse(int Count);
