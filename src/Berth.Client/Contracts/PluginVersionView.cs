using Berth.Core.Agents;
using Berth.Core.Plugins;

namespace Berth.Client.Contracts;

/// <summary>One installed version: the record (manifest, source, digest, notes, installed at and by) and its warm pool.</summary>
public sealed record PluginVersionView
{
    /// <summary>The installed version as stored.</summary>
    public required PluginRecord Plugin { get; init; }

    /// <summary>The pool agent that runs its instances (state, replicas, instances); null when it has none.</summary>
    public AgentView? Pool { get; init; }

    /// <summary>The pool agent's recent events, oldest first (at most 20).</summary>
    public IReadOnlyList<AgentEvent> Events { get; init; } = [];
}
