using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Testing.Docker;

/// <summary>The safety net tests run after themselves: engine objects a killed server or a failed removal left behind.</summary>
public static class LabelledEngineObjects
{
    /// <summary>The label Berth puts on every engine object it creates for agent <paramref name="agent"/>.</summary>
    public static string OfAgent(string agent) => $"berth.agent={agent}";

    /// <summary>Removes every container (running or not) and network carrying <paramref name="label"/> (<c>key=value</c>).</summary>
    public static async Task RemoveLabelledAsync(this DockerEngineClient docker, string label, CancellationToken cancellationToken)
    {
        foreach (var container in await docker.ListContainersAsync(new ContainerListQuery { All = true, Labels = [label] }, cancellationToken))
        {
            await docker.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, cancellationToken);
        }

        foreach (var network in await docker.ListNetworksAsync([label], cancellationToken))
        {
            await docker.RemoveNetworkAsync(network.Id, cancellationToken);
        }
    }
}
