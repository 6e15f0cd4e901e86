using Berth.Core.Agents;

namespace Berth.Core.Storage;

/// <summary>What an apply did.</summary>
/// <param name="Agent">The stored agent after the apply.</param>
/// <param name="Outcome">Whether it was created, changed or left as it was.</param>
public sealed record ApplyResult(AgentRecord Agent, ApplyOutcome Outcome);
