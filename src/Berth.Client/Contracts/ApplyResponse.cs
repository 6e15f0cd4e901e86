using Berth.Core.Storage;

namespace Berth.Client.Contracts;

/// <summary>The answer to applying one agent spec.</summary>
/// <param name="Outcome">Whether the agent was created, updated or unchanged.</param>
/// <param name="Agent">The agent after the apply.</param>
public sealed record ApplyResponse(ApplyOutcome Outcome, AgentView Agent);
