namespace Berth.Core.Runtime;

/// <summary>The answer of <c>GET /api/v1/agents/{name}/stats</c>: a sample of each running instance of one agent.</summary>
/// <param name="Agent">The agent's name.</param>
/// <param name="Instances">One sample per running instance, by instance id; empty when none runs.</param>
public sealed record AgentStats(string Agent, IReadOnlyList<InstanceStats> Instances);
