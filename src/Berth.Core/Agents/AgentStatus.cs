using Berth.Core.Specs;

namespace Berth.Core.Agents;

/// <summary>Derives an agent's overall <see cref="AgentState"/> from what is stored about it.</summary>
public static class AgentStatus
{
    /// <summary>The agent's state given its record and its current instances.</summary>
    public static AgentState Derive(AgentRecord agent, IReadOnlyCollection<InstanceRecord> instances)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(instances);
        if (agent.DesiredState == DesiredState.Removed)
        {
            return AgentState.Removing;
        }

        if (agent.DesiredState == DesiredState.Stopped || agent.Spec.Replicas == 0)
        {
            return AgentState.Stopped;
        }

        var current = instances.Where(i => i.Generation == agent.Generation).ToList();
        if (current.Any(i => i.State == InstanceState.Failed))
        {
            return AgentState.Failed;
        }

        if (current.Any(i => i.State is InstanceState.Unhealthy or InstanceState.Restarting))
        {
            return AgentState.Unhealthy;
        }

        if (current.Count > 0 && current.All(i => i.State is InstanceState.Exited or InstanceState.Stopped))
        {
            return AgentState.Stopped;
        }

        var healthy = current.Count(i => i.State == InstanceState.Running);
        if (healthy >= agent.Spec.Replicas)
        {
            return AgentState.Running;
        }

        return instances.Any(i => i.State is InstanceState.Starting or InstanceState.Running)
            ? AgentState.Starting
            : AgentState.Pending;
    }

    /// <summary>How many instances of the current generation are healthy.</summary>
    public static int ReadyReplicas(AgentRecord agent, IEnumerable<InstanceRecord> instances) =>
        instances.Count(i => i.Generation == agent.Generation && i.State == InstanceState.Running);

    /// <summary>A short description of what the agent runs: an image, a build context or a command.</summary>
    public static string Source(AgentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Image ?? (spec.Build is { } build ? $"build {build.Context}" : $"process {spec.Process?.Command}");
    }
}
