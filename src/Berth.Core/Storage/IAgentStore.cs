using Berth.Core.Agents;
using Berth.Core.Specs;

namespace Berth.Core.Storage;

/// <summary>Desired state of agents. Implementations are safe for concurrent use.</summary>
public interface IAgentStore
{
    /// <summary>The agent, or null when unknown. Agents being removed are returned until forgotten.</summary>
    Task<AgentRecord?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every agent, ordered by name.</summary>
    Task<IReadOnlyList<AgentRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the agent or updates its spec. The generation increases only when the spec differs
    /// from the stored one; applying an agent that is being removed brings it back as running.
    /// </summary>
    Task<ApplyResult> ApplyAsync(AgentSpec spec, CancellationToken cancellationToken);

    /// <summary>Sets what the operator wants. Returns the updated record, or null when unknown.</summary>
    Task<AgentRecord?> SetDesiredStateAsync(string name, DesiredState state, CancellationToken cancellationToken);

    /// <summary>Increases the generation without changing the spec, so every instance is replaced. Returns null when unknown.</summary>
    Task<AgentRecord?> BumpGenerationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Forgets the agent, its instances and its events. Returns false when unknown.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
