using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Server.Runtimes;

namespace Berth.Server.Agents;

/// <summary>Maps stored agents and instances to the API's views.</summary>
internal static class AgentViews
{
    public static AgentView ToView(AgentRecord agent, IReadOnlyList<InstanceRecord> instances, RuntimeCatalog runtimes) => new()
    {
        Name = agent.Name,
        State = AgentStatus.Derive(agent, instances),
        DesiredState = agent.DesiredState,
        Generation = agent.Generation,
        Replicas = agent.DesiredState == DesiredState.Running ? agent.Spec.Replicas : 0,
        ReadyReplicas = AgentStatus.ReadyReplicas(agent, instances),
        Runtime = runtimes.Configured(agent.Spec.Kind)?.Name ?? (agent.Spec.Kind == AgentKind.Process ? "process" : "docker"),
        Source = AgentStatus.Source(agent.Spec),
        ProxyPath = $"/agents/{agent.Name}/",
        Spec = agent.Spec,
        Instances = instances.OrderBy(i => i.Ordinal).ThenByDescending(i => i.Generation).Select(ToView).ToList(),
        CreatedAt = agent.CreatedAt,
        UpdatedAt = agent.UpdatedAt,
    };

    private static InstanceView ToView(InstanceRecord instance) => new()
    {
        Id = instance.InstanceId,
        Ordinal = instance.Ordinal,
        Generation = instance.Generation,
        State = instance.State,
        RestartCount = instance.RestartCount,
        ExitCode = instance.ExitCode,
        Message = instance.Message,
        StartedAt = instance.StartedAt,
        NextRestartAt = instance.NextRestartAt,
    };
}
