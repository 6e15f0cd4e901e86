using System.Globalization;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Swarm;

/// <summary>
/// The relays that let Berth reach instances on overlay networks, which the host cannot route into and Swarm cannot publish on
/// 127.0.0.1: one small container per instance on this node, joined to the agent's attachable overlay, published on an
/// ephemeral 127.0.0.1 port, forwarding each connection to the instance's service name (busybox <c>nc -ll -e</c>: a fork per
/// connection). Confined like an agent: no capabilities, no new privileges, a read-only root, an unprivileged user, 16 MiB.
/// </summary>
internal sealed class SwarmRelays(DockerEngineClient client, string image, string ownerId)
{
    private const long MemoryBytes = 16L * 1024 * 1024;
    private const string Busybox = "/bin/busybox";
    private const string Nobody = "65534:65534";

    private string[] Owned => [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(ownerId), $"{SwarmLabels.Role}={SwarmLabels.RelayRole}"];

    /// <summary>Where a running relay answers on this host.</summary>
    public static Uri? Endpoint(ContainerSummary relay) =>
        relay.Ports.FirstOrDefault(p => p.PrivatePort == SwarmLabels.RelayPort && p.Ip == "127.0.0.1" && p.PublicPort is > 0) is { } port
            ? new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port.PublicPort}/"))
            : null;

    /// <summary>Fails with a message saying how to get the relay image when the engine has not got it (Berth never pulls, as for agents' images).</summary>
    public async Task EnsureImageAsync(CancellationToken cancellationToken)
    {
        if (await client.TryInspectImageAsync(image, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new RuntimeException(
                $"the swarm runtime's relay image '{image}' is not on this engine: pull it (docker pull {image}) or import one, or name another image holding {Busybox} in Berth:Swarm:RelayImage",
                RuntimeErrorKind.Config);
        }
    }

    /// <summary>Every relay of this owner by instance id.</summary>
    public async Task<Dictionary<string, ContainerSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var relays = await client.ListContainersAsync(new ContainerListQuery { All = true, Labels = Owned }, cancellationToken).ConfigureAwait(false);
        var byInstance = new Dictionary<string, ContainerSummary>(StringComparer.Ordinal);
        foreach (var relay in relays)
        {
            if (relay.Labels?.TryGetValue(DockerLabels.Instance, out var instanceId) == true)
            {
                byInstance[instanceId] = relay;
            }
        }

        return byInstance;
    }

    /// <summary>Creates the instance's relay unless it exists, and starts it unless it runs.</summary>
    public async Task EnsureAsync(string instanceId, string agentName, string network, int port, CancellationToken cancellationToken)
    {
        var name = SwarmLabels.RelayName(instanceId);
        var existing = await client.TryInspectContainerAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is { State.Running: true })
        {
            return;
        }

        var id = existing?.Id;
        if (existing is null)
        {
            try
            {
                id = (await client.CreateContainerAsync(name, Request(instanceId, agentName, network, port), cancellationToken).ConfigureAwait(false)).Id;
            }
            catch (DockerEngineException ex) when (ex.IsConflict)
            {
                id = (await client.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false)).Id;
            }
        }

        await client.StartContainerAsync(id!, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken) =>
        await client.RemoveContainerAsync(SwarmLabels.RelayName(instanceId), force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Removes the relays carrying all of <paramref name="labels"/> (an agent's, once it is removed).</summary>
    public async Task RemoveAgentAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var relays = await client.ListContainersAsync(new ContainerListQuery { All = true, Labels = [.. labels, $"{SwarmLabels.Role}={SwarmLabels.RelayRole}"] }, cancellationToken).ConfigureAwait(false);
        foreach (var relay in relays)
        {
            await client.RemoveContainerAsync(relay.Id, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private ContainerCreateRequest Request(string instanceId, string agentName, string network, int port)
    {
        var listen = SwarmLabels.RelayPort.ToString(CultureInfo.InvariantCulture) + "/tcp";
        return new ContainerCreateRequest
        {
            Image = image,
            Entrypoint = [Busybox, "nc", "-ll", "-p", SwarmLabels.RelayPort.ToString(CultureInfo.InvariantCulture),
                "-e", Busybox, "nc", SwarmLabels.ServiceName(instanceId), port.ToString(CultureInfo.InvariantCulture)],
            Cmd = [],
            User = Nobody,
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.Managed] = "true",
                [DockerLabels.Owner] = ownerId,
                [DockerLabels.Agent] = agentName,
                [DockerLabels.Instance] = instanceId,
                [SwarmLabels.Role] = SwarmLabels.RelayRole,
            },
            ExposedPorts = new Dictionary<string, EmptyObject> { [listen] = EmptyObject.Instance },
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>> { [listen] = [new PortBinding { HostIp = "127.0.0.1", HostPort = "" }] },
                Memory = MemoryBytes,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                ReadonlyRootfs = true,
                // back with the engine after a reboot; its port may change, which the next observation picks up
                RestartPolicy = new RestartPolicy { Name = "unless-stopped" },
            },
        };
    }
}
