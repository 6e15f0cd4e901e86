using Berth.Core.Agents;

namespace Berth.Core.Storage;

/// <summary>Append-only log of agent events.</summary>
public interface IEventStore
{
    /// <summary>Stores the event and returns it with its assigned <see cref="AgentEvent.Id"/>.</summary>
    Task<AgentEvent> AppendAsync(AgentEvent agentEvent, CancellationToken cancellationToken);

    /// <summary>Events of one agent (all agents when null) with an id greater than <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AgentEvent>> ListAsync(string? agentName, long afterId, int limit, CancellationToken cancellationToken);
}
