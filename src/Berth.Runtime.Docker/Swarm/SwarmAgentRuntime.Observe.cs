using System.Globalization;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Engine.Models.Swarm;
using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Swarm;

public sealed partial class SwarmAgentRuntime
{
    /// <inheritdoc />
    /// <remarks>
    /// Three engine calls whatever the number of agents (services, their tasks, the relays). A running instance whose relay is
    /// missing or stopped (this node restarted, or someone removed it) gets it back, so a new server adopts what it finds.
    /// </remarks>
    public async Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken)
    {
        var services = await _client.ListServicesAsync([DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_options.OwnerId)], cancellationToken).ConfigureAwait(false);
        if (services.Count == 0)
        {
            return [];
        }

        var tasks = (await _client.ListTasksAsync([.. services.Select(s => s.Id)], cancellationToken).ConfigureAwait(false)).ToLookup(t => t.ServiceId, StringComparer.Ordinal);
        var relays = await _relays.ListAsync(cancellationToken).ConfigureAwait(false);
        var instances = new List<RuntimeInstance>(services.Count);
        foreach (var service in services)
        {
            if (Label(service, DockerLabels.Instance) is not { } instanceId)
            {
                continue;
            }

            var relay = relays.GetValueOrDefault(instanceId);
            var instance = Observe(service, [.. tasks[service.Id]], relay);
            if (instance.Status == RuntimeStatus.Running && relay is not { State: "running" } && await RepairRelayAsync(service, instanceId, cancellationToken).ConfigureAwait(false) is { } repaired)
            {
                instance = Observe(service, [.. tasks[service.Id]], repaired);
            }

            instances.Add(instance);
        }

        return instances;
    }

    private async Task<RuntimeInstance?> ObserveAsync(string instanceId, CancellationToken cancellationToken)
    {
        var service = await _client.TryInspectServiceAsync(SwarmLabels.ServiceName(instanceId), cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return null;
        }

        var relays = await _relays.ListAsync(cancellationToken).ConfigureAwait(false);
        return Observe(service, await TasksOfAsync(service, cancellationToken).ConfigureAwait(false), relays.GetValueOrDefault(instanceId));
    }

    /// <summary>
    /// The instance a service stands for. Its newest task decides: on its way to running or running is <see cref="RuntimeStatus.Running"/>
    /// (reachable once the task runs and the relay does), anything after is <see cref="RuntimeStatus.Exited"/>, and a service
    /// scaled to zero with no task left running is exited too.
    /// </summary>
    private static RuntimeInstance Observe(ServiceInspect service, IReadOnlyList<SwarmTask> tasks, ContainerSummary? relay)
    {
        var task = tasks.MaxBy(t => DockerTimestamps.Parse(t.CreatedAt) ?? DateTimeOffset.MinValue);
        var replicas = service.Spec?.Mode.Replicated?.Replicas ?? 0;
        var live = task is null ? replicas > 0 : task.DesiredState == "running" && SwarmTaskStates.IsLive(task.Status.State);
        var running = live && task?.Status.State == "running";
        return new RuntimeInstance
        {
            InstanceId = Label(service, DockerLabels.Instance) ?? "",
            AgentName = Label(service, DockerLabels.Agent) ?? "",
            Ordinal = int.TryParse(Label(service, DockerLabels.Ordinal), CultureInfo.InvariantCulture, out var ordinal) ? ordinal : 0,
            Generation = long.TryParse(Label(service, DockerLabels.Generation), CultureInfo.InvariantCulture, out var generation) ? generation : 0,
            Status = live ? RuntimeStatus.Running : RuntimeStatus.Exited,
            Endpoint = running && relay is { State: "running" } ? SwarmRelays.Endpoint(relay) : null,
            ExitCode = live ? null : task?.Status.ContainerStatus?.ExitCode,
            StartedAt = running ? DockerTimestamps.Parse(task!.Status.Timestamp) : null,
            FinishedAt = live ? null : DockerTimestamps.Parse(task?.Status.Timestamp),
            NativeId = service.Id,
        };
    }

    private async Task<ContainerSummary?> RepairRelayAsync(ServiceInspect service, string instanceId, CancellationToken cancellationToken)
    {
        if (Label(service, DockerLabels.Agent) is not { } agent || !int.TryParse(Label(service, PortLabel), CultureInfo.InvariantCulture, out var port) ||
            service.Spec?.TaskTemplate.Networks is not [{ Target: var network }, ..])
        {
            return null;
        }

        try
        {
            await _relays.EnsureAsync(instanceId, agent, network, port, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex)
        {
            SwarmRuntimeLog.RelayRepairFailed(_logger, instanceId, ex.Message);
            return null;
        }

        return (await _relays.ListAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(instanceId);
    }

    private static string? Label(ServiceInspect service, string key) =>
        service.Spec?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    // The task's container when it runs on this node, which is where Berth can sample it or run a command in it.
    private async Task<string?> LocalContainerAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (_nodeId is null)
        {
            _nodeId = (await _client.GetSwarmInfoAsync(cancellationToken).ConfigureAwait(false)).NodeId;
        }

        var service = await _client.TryInspectServiceAsync(SwarmLabels.ServiceName(instanceId), cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return null;
        }

        var task = (await TasksOfAsync(service, cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Status.State == "running" && t.DesiredState == "running");
        return task is not null && task.NodeId == _nodeId ? task.Status.ContainerStatus?.ContainerId : null;
    }
}
