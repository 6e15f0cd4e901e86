namespace Berth.Core.Requests;

/// <summary>How many of one agent's stored requests are in one state.</summary>
/// <param name="AgentName">The agent the requests are for.</param>
/// <param name="State">Their state.</param>
/// <param name="Count">How many there are.</param>
public sealed record RequestStateCount(string AgentName, RequestState State, long Count);
