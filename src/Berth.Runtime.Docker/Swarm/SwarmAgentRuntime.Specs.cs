using System.Globalization;
using System.Security.Cryptography;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Engine.Models.Swarm;
using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Swarm;

public sealed partial class SwarmAgentRuntime
{
    /// <summary>Label on an instance's service: the port its agent listens on, which the relay forwards to.</summary>
    private const string PortLabel = "berth.port";

    /// <summary>Characters of a file's content hash in its secret's name: a changed file is a new secret (Swarm secrets never change).</summary>
    private const int FileHashLength = 12;

    private const int ReadableByAll = 0b100_100_100;

    /// <summary>
    /// The service of one instance: the spec's image, command, environment, user and limits, every capability dropped but the
    /// ones it adds, a read-only root with a tmpfs at /tmp when asked, its volumes as checked by the docker driver, its files as
    /// Swarm secrets, one replica that Swarm never restarts by itself (Berth's restart policy decides).
    /// </summary>
    private async Task<ServiceSpec> ServiceSpecAsync(InstanceLaunch launch, string network, long forceUpdate, CancellationToken cancellationToken)
    {
        var spec = launch.Spec;
        var image = await _docker.ResolveImageAsync(spec, cancellationToken).ConfigureAwait(false);
        var labels = DockerLabels.ForInstance(_options.OwnerId, launch);
        labels[PortLabel] = spec.Port.ToString(CultureInfo.InvariantCulture);
        var readOnly = spec.Security?.ReadOnlyRootFilesystem == true;
        var mounts = _docker.ResolveVolumes(spec);
        if (readOnly && !spec.Volumes.Any(v => v.Target.TrimEnd('/') == DockerAgentRuntime.WritableTmp))
        {
            mounts.Add(new Mount { Type = "tmpfs", Target = DockerAgentRuntime.WritableTmp });
        }

        return new ServiceSpec
        {
            Name = SwarmLabels.ServiceName(launch.InstanceId),
            Labels = labels,
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = new ServiceContainerSpec
                {
                    Image = image,
                    Labels = labels,
                    Command = spec.Command.Count > 0 ? spec.Command : null,
                    Args = spec.Args.Count > 0 ? spec.Args : null,
                    Env = launch.Environment.Select(e => $"{e.Key}={e.Value}").ToList(),
                    User = spec.Security?.RunAsUser,
                    StopGracePeriod = _options.StopGrace.Ticks * 100,
                    ReadOnly = readOnly,
                    Mounts = mounts.Count > 0 ? mounts : null,
                    Secrets = await FileSecretsAsync(launch, cancellationToken).ConfigureAwait(false),
                    CapabilityDrop = ["ALL"],
                    CapabilityAdd = DockerAgentRuntime.CapabilitiesToAdd(spec),
                    // as for docker agents: BERTH_URL names the host the task runs on
                    Hosts = ["host-gateway host.docker.internal"],
                },
                Resources = new TaskResources
                {
                    Limits = new ResourceLimits
                    {
                        MemoryBytes = spec.Resources?.MemoryBytes ?? 0,
                        NanoCpus = spec.Resources?.Cpus is { } cpus ? (long)Math.Round(cpus * 1e9) : 0,
                    },
                },
                RestartPolicy = new TaskRestartPolicy { Condition = "none" },
                Networks = [new NetworkAttachment { Target = network }],
                ForceUpdate = forceUpdate,
            },
            Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = 1 } },
            EndpointSpec = new EndpointSpec { Mode = "dnsrr" },
        };
    }

    /// <summary>
    /// Each of the instance's files as a Swarm secret <c>berth-{instance}-{hash}</c> placed at its path, readable by all as the
    /// docker driver places them; an unchanged file reuses its secret, a changed one (a rotated secret) gets a new one.
    /// </summary>
    private async Task<List<ServiceSecretReference>?> FileSecretsAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        if (launch.Files.Count == 0)
        {
            return null;
        }

        var existing = (await _client.ListSecretsAsync(InstanceFilter(launch.InstanceId), cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Spec.Name, s => s.Id, StringComparer.Ordinal);
        var references = new List<ServiceSecretReference>(launch.Files.Count);
        foreach (var (target, content) in launch.Files)
        {
            if (!target.StartsWith('/'))
            {
                throw new RuntimeException(
                    $"agent '{launch.Spec.Name}' files: '{target}' is not an absolute path; a container agent's files are placed at absolute paths",
                    RuntimeErrorKind.Config);
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(target + "\0"), .. content]))[..FileHashLength];
            var name = $"{SwarmLabels.ServiceName(launch.InstanceId)}-{hash}";
            if (!existing.TryGetValue(name, out var id))
            {
                id = await _client.CreateSecretAsync(
                    new SecretCreateRequest
                    {
                        Name = name,
                        Data = Convert.ToBase64String(content),
                        Labels = new Dictionary<string, string>
                        {
                            [DockerLabels.Managed] = "true",
                            [DockerLabels.Owner] = _options.OwnerId,
                            [DockerLabels.Agent] = launch.Spec.Name,
                            [DockerLabels.Instance] = launch.InstanceId,
                            [SwarmLabels.Role] = SwarmLabels.FileRole,
                        },
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            references.Add(new ServiceSecretReference { SecretId = id, SecretName = name, File = new ServiceSecretFile { Name = target, Mode = ReadableByAll } });
        }

        return references;
    }

    /// <summary>
    /// Removes the instance's file secrets but those <paramref name="spec"/> names (all when null: the instance is gone). Swarm
    /// refuses one a task still holds while it shuts down; the agent's removal takes what is left.
    /// </summary>
    private async Task RemoveFilesAsync(string instanceId, ServiceSpec? spec, CancellationToken cancellationToken)
    {
        var used = (spec?.TaskTemplate.ContainerSpec.Secrets ?? []).Select(s => s.SecretId).ToHashSet(StringComparer.Ordinal);
        foreach (var secret in await _client.ListSecretsAsync(InstanceFilter(instanceId), cancellationToken).ConfigureAwait(false))
        {
            if (!used.Contains(secret.Id))
            {
                try
                {
                    await _client.RemoveSecretAsync(secret.Id, cancellationToken).ConfigureAwait(false);
                }
                catch (Engine.DockerEngineException)
                {
                    // still held: left for the agent's removal
                }
            }
        }
    }

    private string[] InstanceFilter(string instanceId) =>
        [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_options.OwnerId), $"{DockerLabels.Instance}={instanceId}"];
}
