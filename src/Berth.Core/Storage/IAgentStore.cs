using Berth.Core.Agents;
using Berth.Core.Specs;

namespace Berth.Core.Storage;

/// <summary>Desired state of agents. Implementations are safe for concurrent use.</summary>
public interface IAgentStore
{
    /// <summary>The agent, or null when unknown. Agents being removed are returned until forgotten.</summary>
    Task<AgentRecord?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every agent users applied, ordered by name (plugin pools left out).</summary>
    Task<IReadOnlyList<AgentRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Every agent row, plugin pools included, ordered by name: what the reconciler drives.</summary>
    Task<IReadOnlyList<AgentRecord>> ListWithPoolsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the agent or updates its spec. The generation increases only when the spec differs
    /// from the stored one; applying an agent that is being removed brings it back as running.
    /// </summary>
    Task<ApplyResult> ApplyAsync(AgentSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or updates the agent that runs the warm pool of an installed plugin version (<paramref name="plugin"/>,
    /// <c>id@version</c>), as <see cref="ApplyAsync"/> does. Throws <see cref="InvalidOperationException"/> when the name is an
    /// agent users applied, or another plugin's pool.
    /// </summary>
    Task<ApplyResult> ApplyPoolAsync(AgentSpec spec, string plugin, CancellationToken cancellationToken);

    /// <summary>Sets what the operator wants. Returns the updated record, or null when unknown.</summary>
    Task<AgentRecord?> SetDesiredStateAsync(string name, DesiredState state, CancellationToken cancellationToken);

    /// <summary>Increases the generation without changing the spec, so every instance is replaced. Returns null when unknown.</summary>
    Task<AgentRecord?> BumpGenerationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Forgets the agent, its instances and its events. Returns false when unknown.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
