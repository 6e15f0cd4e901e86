using Berth.Core.Agents;
using Berth.Core.Specs;

namespace Berth.Client.Contracts;

/// <summary>An agent as the API shows it: desired spec, derived state and its instances.</summary>
public sealed record AgentView
{
    /// <summary>The agent's name.</summary>
    public required string Name { get; init; }

    /// <summary>Overall state derived from the instances.</summary>
    public required AgentState State { get; init; }

    /// <summary>What the operator asked for: running, stopped or removed.</summary>
    public required DesiredState DesiredState { get; init; }

    /// <summary>Generation of the desired spec.</summary>
    public required long Generation { get; init; }

    /// <summary>Instances wanted (<c>spec.replicas</c>, or 0 when stopped).</summary>
    public required int Replicas { get; init; }

    /// <summary>Instances of the current generation that are healthy.</summary>
    public required int ReadyReplicas { get; init; }

    /// <summary>The runtime driver that runs it: <c>docker</c> or <c>process</c>.</summary>
    public required string Runtime { get; init; }

    /// <summary>What it runs: an image, a build context or a command.</summary>
    public required string Source { get; init; }

    /// <summary>Where to call it: <c>/agents/{name}/</c> on the server.</summary>
    public required string ProxyPath { get; init; }

    /// <summary>The desired spec.</summary>
    public required AgentSpec Spec { get; init; }

    /// <summary>Current instances, by ordinal.</summary>
    public required IReadOnlyList<InstanceView> Instances { get; init; }

    /// <summary>
    /// Calls per second through the proxy of the server that answered, averaged over the last minute; absent where the view
    /// is not a listing or a read of the agent (an apply's answer).
    /// </summary>
    public double? RequestRate { get; init; }

    /// <summary>When it was first applied (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its desired state last changed (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
