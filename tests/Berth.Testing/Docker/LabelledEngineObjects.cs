using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Testing.Docker;

/// <summary>The safety net tests run after themselves: engine objects a killed server or a failed removal left behind.</summary>
public static class LabelledEngineObjects
{
    /// <summary>The label Berth puts on every engine object it creates for agent <paramref name="agent"/>.</summary>
    public static string OfAgent(string agent) => $"berth.agent={agent}";

    /// <summary>Removes every Swarm service and secret, container (running or not) and network carrying <paramref name="label"/> (<c>key=value</c>).</summary>
    public static async Task RemoveLabelledAsync(this DockerEngineClient docker, string label, CancellationToken cancellationToken)
    {
        // Swarm services first (their task containers carry the same labels and go with the containers below), then their secrets.
        if ((await docker.GetSwarmInfoAsync(cancellationToken)).ControlAvailable)
        {
            foreach (var service in await docker.ListServicesAsync([label], cancellationToken))
            {
                await docker.RemoveServiceAsync(service.Id, cancellationToken);
            }

            foreach (var secret in await docker.ListSecretsAsync([label], cancellationToken))
            {
                await docker.RemoveSecretAsync(secret.Id, cancellationToken);
            }
        }

        foreach (var container in await docker.ListContainersAsync(new ContainerListQuery { All = true, Labels = [label] }, cancellationToken))
        {
            await docker.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, cancellationToken);
        }

        foreach (var network in await docker.ListNetworksAsync([label], cancellationToken))
        {
            try
            {
                await docker.RemoveNetworkAsync(network.Id, cancellationToken);
            }
            catch (DockerEngineException ex) when (ex.EngineMessage?.Contains("not found", StringComparison.OrdinalIgnoreCase) == true)
            {
                // an overlay network the server under test removed a moment ago is still listed, and Swarm answers 500, not 404
            }
        }
    }
}
