namespace Berth.Core.Runtime;

/// <summary>The answer of <c>GET /api/v1/stats</c>: the stats of every agent, by name.</summary>
/// <param name="Agents">One entry per agent, running or not (an agent with nothing running has no instances).</param>
public sealed record StatsOverview(IReadOnlyList<AgentStats> Agents);
