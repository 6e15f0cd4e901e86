using Berth.Core.Specs;

namespace Berth.Core.Runtime;

/// <summary>Everything a driver needs to start one instance of an agent.</summary>
public sealed record InstanceLaunch
{
    /// <summary>Berth's id for the instance, unique across agents (<c>echo-3f9a1c</c>). Drivers label or name their objects with it.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The agent's spec at <see cref="Generation"/>.</summary>
    public required AgentSpec Spec { get; init; }

    /// <summary>Replica slot, 0-based.</summary>
    public required int Ordinal { get; init; }

    /// <summary>Spec generation this instance runs; recorded by the driver so it survives a server restart.</summary>
    public required long Generation { get; init; }

    /// <summary>Environment to set, already resolved: the spec's env (secrets included) plus what Berth adds (<c>BERTH_AGENT</c>, <c>BERTH_INSTANCE</c>, <c>BERTH_TOKEN</c>, <c>BERTH_URL</c>).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>
    /// Files to place in the instance, resolved (secrets included), keyed as written in the spec's <c>files</c>: an absolute path
    /// inside a container, or a path relative to <c>BERTH_FILES_DIR</c> for a process. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();
}
