using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models.Swarm;
using Berth.Runtime.Docker.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Swarm;

/// <summary>
/// Runs container agents as Docker Swarm services. Each instance is a service <c>berth-{instance}</c> of one replica on the
/// agent's attachable overlay network <c>berth-{agent}-{owner}</c>, where its name resolves to its task (endpoint mode
/// <c>dnsrr</c>, which needs no IPVS); Berth reaches it through a relay container on this node that joins the overlay and
/// publishes on 127.0.0.1 only (<see cref="SwarmRelays"/>). Berth keeps its own instance model (a record per replica slot,
/// its probes, its restart backoff, a rolling replacement per generation); Swarm places each task on a node, enforces the
/// limits, carries the files as Swarm secrets, and runs a new task wherever it can each time Berth starts an instance again.
/// </summary>
public sealed partial class SwarmAgentRuntime : IAgentRuntime, IExecRuntime, IDisposable
{
    private static readonly TimeSpan SettlePollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SettleMargin = TimeSpan.FromSeconds(15);

    private readonly DockerEngineClient _client;
    private readonly DockerAgentRuntime _docker;
    private readonly DockerRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SwarmRelays _relays;
    private readonly SemaphoreSlim _networkGate = new(1, 1);
    private string? _nodeId;
    private int _disposed;

    /// <summary>Creates the driver; <paramref name="docker"/> resolves and builds images, checks confinement, and samples or execs into tasks on this node.</summary>
    public SwarmAgentRuntime(
        DockerEngineClient client,
        DockerAgentRuntime docker,
        IOptions<DockerRuntimeOptions> dockerOptions,
        IOptions<SwarmRuntimeOptions> options,
        TimeProvider time,
        ILogger<SwarmAgentRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dockerOptions);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _docker = docker;
        _options = dockerOptions.Value;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _relays = new SwarmRelays(client, options.Value.RelayImage, _options.OwnerId);
    }

    /// <inheritdoc />
    public string Name => "swarm";

    /// <inheritdoc />
    public bool Supports(AgentKind kind) => kind == AgentKind.Container;

    /// <summary>Releases the driver's lock; the engine client belongs to the caller. Safe to call twice (see <see cref="DockerAgentRuntime.Dispose"/>).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _networkGate.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task PrepareAsync(AgentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await RequireManagerAsync(cancellationToken).ConfigureAwait(false);
        _docker.CheckConfinement(spec);
        await _docker.ResolveImageAsync(spec, cancellationToken).ConfigureAwait(false);
        await EnsureNetworkAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        await _relays.EnsureImageAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A new instance becomes a new service. One that ran before (it exited, was stopped, or its node went away) keeps its
    /// service, which is updated to one replica with a new task, placed wherever Swarm can run it now.
    /// </remarks>
    public async Task<RuntimeInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var name = SwarmLabels.ServiceName(launch.InstanceId);
        var network = await EnsureNetworkAsync(launch.Spec.Name, cancellationToken).ConfigureAwait(false);
        var existing = await _client.TryInspectServiceAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var spec = await ServiceSpecAsync(launch, network, forceUpdate: 0, cancellationToken).ConfigureAwait(false);
            try
            {
                await _client.CreateServiceAsync(spec, cancellationToken).ConfigureAwait(false);
                SwarmRuntimeLog.ServiceCreated(_logger, launch.InstanceId, name);
            }
            catch (DockerEngineException ex) when (ex.IsConflict)
            {
                // a concurrent start created it first
            }
        }
        else if (Observe(existing, await TasksOfAsync(existing, cancellationToken).ConfigureAwait(false), relay: null).Status != RuntimeStatus.Running)
        {
            var spec = await ServiceSpecAsync(launch, network, (existing.Spec?.TaskTemplate.ForceUpdate ?? 0) + 1, cancellationToken).ConfigureAwait(false);
            await _client.UpdateServiceAsync(existing.Id, existing.Version, spec, cancellationToken).ConfigureAwait(false);
            await RemoveFilesAsync(launch.InstanceId, spec, cancellationToken).ConfigureAwait(false);
            SwarmRuntimeLog.ServiceRestarted(_logger, launch.InstanceId, name);
        }

        await _relays.EnsureAsync(launch.InstanceId, launch.Spec.Name, network, launch.Spec.Port, cancellationToken).ConfigureAwait(false);
        return await ObserveAsync(launch.InstanceId, cancellationToken).ConfigureAwait(false)
            ?? throw new RuntimeException($"service '{name}' vanished right after it was started; another Berth server may have removed it", RuntimeErrorKind.Transient);
    }

    /// <inheritdoc />
    /// <remarks>Scales the instance's service to zero and waits until its task has stopped (at most the grace period and a margin).</remarks>
    public async Task StopAsync(string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var service = await _client.TryInspectServiceAsync(SwarmLabels.ServiceName(instanceId), cancellationToken).ConfigureAwait(false);
        if (service?.Spec is not { } spec)
        {
            return;
        }

        if (spec.Mode.Replicated?.Replicas != 0)
        {
            var stopped = spec with
            {
                Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = 0 } },
                TaskTemplate = spec.TaskTemplate with { ContainerSpec = spec.TaskTemplate.ContainerSpec with { StopGracePeriod = gracePeriod.Ticks * 100 } },
            };
            await _client.UpdateServiceAsync(service.Id, service.Version, stopped, cancellationToken).ConfigureAwait(false);
        }

        await WaitUntilAsync(
            async ct => (await TasksOfAsync(service, ct).ConfigureAwait(false)).All(t => !SwarmTaskStates.IsLive(t.Status.State)),
            gracePeriod + SettleMargin,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        await _client.RemoveServiceAsync(SwarmLabels.ServiceName(instanceId), cancellationToken).ConfigureAwait(false);
        await _relays.RemoveAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await RemoveFilesAsync(instanceId, spec: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Removes the agent's relays, the Swarm secrets that held its files, and its overlay network once its last task has let go of it.</remarks>
    public async Task RemoveAgentResourcesAsync(string agentName, CancellationToken cancellationToken)
    {
        string[] owned = [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_options.OwnerId), DockerLabels.AgentFilter(agentName)];
        await _relays.RemoveAgentAsync(owned, cancellationToken).ConfigureAwait(false);
        var timeout = _options.StopGrace + SettleMargin;
        await WaitUntilAsync(ct => RemoveAllAsync(_client.ListSecretsAsync(owned, ct), s => s.Id, _client.RemoveSecretAsync, ct), timeout, cancellationToken).ConfigureAwait(false);
        await WaitUntilAsync(ct => RemoveAllAsync(_client.ListNetworksAsync(owned, ct), n => n.Id, _client.RemoveNetworkAsync, ct), timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The overlay network of the agent: the docker driver's name for it, made once and shared by every instance.</summary>
    internal string NetworkName(string agentName) => _docker.NetworkName(agentName);

    private async Task RequireManagerAsync(CancellationToken cancellationToken)
    {
        var swarm = await _client.GetSwarmInfoAsync(cancellationToken).ConfigureAwait(false);
        if (swarm.LocalNodeState != "active")
        {
            throw new RuntimeException(
                $"the Docker engine at {_client.Endpoint} is not part of a swarm (its state is '{swarm.LocalNodeState}'): run 'docker swarm init' (or join this node to a swarm as a manager), or start Berth with --runtime docker",
                RuntimeErrorKind.Unavailable);
        }

        if (!swarm.ControlAvailable)
        {
            throw new RuntimeException(
                $"the Docker engine at {_client.Endpoint} is a swarm worker, which cannot create services: point Berth at a manager (Berth:Docker:Socket or DOCKER_HOST)",
                RuntimeErrorKind.Unavailable);
        }

        _nodeId = swarm.NodeId;
    }

    private async Task<string> EnsureNetworkAsync(string agentName, CancellationToken cancellationToken)
    {
        var name = NetworkName(agentName);
        await _networkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await _client.TryInspectNetworkAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                // a swarm network just created may be listed before its driver is filled in: only another driver is a conflict
                return existing.Driver is "overlay" or "" ? existing.Id : throw new RuntimeException(
                    $"network '{name}' exists but is a {existing.Driver} network, not an overlay: it was made by the docker runtime; remove the agent's containers and the network (docker network rm {name}) so the swarm runtime can make its own",
                    RuntimeErrorKind.Config);
            }

            return await _client.CreateNetworkAsync(
                new Engine.Models.NetworkCreateRequest
                {
                    Name = name,
                    Driver = "overlay",
                    Attachable = true,
                    Labels = new Dictionary<string, string>
                    {
                        [DockerLabels.Managed] = "true",
                        [DockerLabels.Owner] = _options.OwnerId,
                        [DockerLabels.Agent] = agentName,
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _networkGate.Release();
        }
    }

    private Task<IReadOnlyList<SwarmTask>> TasksOfAsync(ServiceInspect service, CancellationToken cancellationToken) =>
        _client.ListTasksAsync([service.Id], cancellationToken);

    // Removes each listed object; true once none is left (an object still in use is tried again on the next round).
    private static async Task<bool> RemoveAllAsync<T>(
        Task<IReadOnlyList<T>> listing, Func<T, string> id, Func<string, CancellationToken, Task<bool>> remove, CancellationToken cancellationToken)
    {
        var left = false;
        foreach (var item in await listing.ConfigureAwait(false))
        {
            try
            {
                await remove(id(item), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerEngineException ex) when (!ex.IsNotFound)
            {
                left = true;
            }
        }

        return !left;
    }

    // Swarm acts on a change in its own time: polls until the condition holds, giving up quietly after the timeout.
    private async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (!await condition(cancellationToken).ConfigureAwait(false) && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(SettlePollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
