using System.Globalization;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Reads a <see cref="RuntimeInstance"/> off an inspected Berth container.</summary>
internal static class ContainerInstanceMapper
{
    /// <summary>Maps the container; null when it lacks Berth's instance labels.</summary>
    public static RuntimeInstance? Map(ContainerInspect container)
    {
        var labels = container.Config.Labels ?? new Dictionary<string, string>();
        if (!labels.TryGetValue(DockerLabels.Instance, out var instanceId) || !labels.TryGetValue(DockerLabels.Agent, out var agent))
        {
            return null;
        }

        var status = MapStatus(container.State.Status);
        return new RuntimeInstance
        {
            InstanceId = instanceId,
            AgentName = agent,
            Ordinal = labels.TryGetValue(DockerLabels.Ordinal, out var ordinal) && int.TryParse(ordinal, CultureInfo.InvariantCulture, out var o) ? o : 0,
            Generation = labels.TryGetValue(DockerLabels.Generation, out var generation) && long.TryParse(generation, CultureInfo.InvariantCulture, out var g) ? g : 0,
            Status = status,
            Endpoint = status == RuntimeStatus.Running ? PublishedEndpoint(container) : null,
            ExitCode = status == RuntimeStatus.Exited ? container.State.ExitCode : null,
            OomKilled = container.State.OOMKilled,
            StartedAt = DockerTimestamps.Parse(container.State.StartedAt),
            FinishedAt = status == RuntimeStatus.Exited ? DockerTimestamps.Parse(container.State.FinishedAt) : null,
            NativeId = container.Id,
        };
    }

    public static RuntimeStatus MapStatus(string status) => status switch
    {
        "created" => RuntimeStatus.Created,
        "running" or "paused" or "restarting" => RuntimeStatus.Running,
        _ => RuntimeStatus.Exited,
    };

    /// <summary>The loopback address the agent's port is published on, if any.</summary>
    public static Uri? PublishedEndpoint(ContainerInspect container)
    {
        foreach (var (_, bindings) in container.NetworkSettings.Ports ?? new Dictionary<string, IReadOnlyList<PortBinding>?>())
        {
            var binding = bindings?.FirstOrDefault(b => b.HostIp == "127.0.0.1" && b.HostPort.Length > 0);
            if (binding is not null)
            {
                return new Uri($"http://127.0.0.1:{binding.HostPort}/");
            }
        }

        return null;
    }
}
