using Berth.Core.Specs;

namespace Berth.Core.Agents;

/// <summary>An agent as stored: its desired spec, the generation of that spec, and whether it should run.</summary>
public sealed record AgentRecord
{
    /// <summary>The agent's name.</summary>
    public required string Name { get; init; }

    /// <summary>The desired spec.</summary>
    public required AgentSpec Spec { get; init; }

    /// <summary>Increases by one whenever the spec changes or a restart is asked for; instances of an older generation are replaced.</summary>
    public required long Generation { get; init; }

    /// <summary>Whether the agent should run, be stopped, or be removed.</summary>
    public required DesiredState DesiredState { get; init; }

    /// <summary>When the agent was first applied.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the spec, generation or desired state last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The installed plugin version (<c>id@version</c>) whose warm pool this agent runs; null for an agent users applied.</summary>
    public string? Plugin { get; init; }
}
