using System.Collections.Concurrent;
using System.Globalization;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// Runs container agents on a local Docker engine: one container <c>berth-{instance}</c> per instance on a
/// per-agent bridge network, its port published on 127.0.0.1 only, everything labelled <c>berth.*</c>.
/// </summary>
public sealed partial class DockerAgentRuntime : IAgentRuntime, IExecRuntime, IDisposable
{
    private static readonly TimeSpan RestartPollInterval = TimeSpan.FromMilliseconds(500);

    private readonly DockerEngineClient _client;
    private readonly DockerRuntimeOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, string> _builtImages = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _networkGate = new(1, 1);
    private readonly InstanceFileArea _files;
    private readonly ContainerWatch _watch;
    private int _disposed;

    /// <summary>Creates the driver.</summary>
    public DockerAgentRuntime(
        DockerEngineClient client,
        IOptions<DockerRuntimeOptions> options,
        TimeProvider timeProvider,
        ILogger<DockerAgentRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _files = new InstanceFileArea(FilesDirectory);
        _watch = new ContainerWatch(client, _options.OwnerId, timeProvider, _logger);
    }

    /// <inheritdoc />
    public string Name => "docker";

    private string FilesDirectory => _options.FilesDirectory ?? $"/dev/shm/berth-{_options.OwnerId}";

    /// <summary>Full container lists taken so far: one at the start and one after each break of the engine's event stream.</summary>
    internal long Resyncs => _watch.Resyncs;

    /// <summary>Whether the engine's event stream is followed now.</summary>
    internal bool FollowingEvents => _watch.Following;

    /// <summary>
    /// Releases the driver's lock and stops following the engine's events; the engine client belongs to the caller. Safe to call
    /// twice: the container disposes the driver both as itself and as an <see cref="IAgentRuntime"/>.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _watch.Dispose();
        _networkGate.Dispose();
    }

    /// <summary>Cuts the engine's event stream as a dropped connection would (for tests).</summary>
    internal void BreakEventStream() => _watch.BreakStream();

    /// <inheritdoc />
    public bool Supports(AgentKind kind) => kind == AgentKind.Container;

    /// <summary>The name of the agent's bridge network: <c>berth-{agent}-{owner}</c>, unique per server sharing the engine.</summary>
    public string NetworkName(string agentName) => $"{_options.NetworkPrefix}{agentName}-{_options.OwnerId}";

    /// <inheritdoc />
    public async Task PrepareAsync(AgentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckConfinement(spec);
        await ResolveImageAsync(spec, cancellationToken).ConfigureAwait(false);
        await EnsureNetworkAsync(spec.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RuntimeInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var name = DockerLabels.ContainerName(launch.InstanceId);
        var existing = await _client.TryInspectContainerAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.State.Status is "removing" or "dead")
        {
            await _client.RemoveContainerAsync(existing.Id, force: true, removeVolumes: false, cancellationToken).ConfigureAwait(false);
            existing = null;
        }

        if (existing is not null && (existing.State.Running || existing.State.Paused || existing.State.Restarting))
        {
            return Seen(Observe(existing));
        }

        var mounts = MountFiles(launch);
        var id = existing?.Id;
        if (existing is null)
        {
            id = await CreateContainerAsync(launch, name, mounts, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            DockerRuntimeLog.ContainerRestarted(_logger, launch.InstanceId, name);
        }

        await _client.StartContainerAsync(id!, cancellationToken).ConfigureAwait(false);
        return Seen(Observe(await _client.InspectContainerAsync(id!, cancellationToken).ConfigureAwait(false)));
    }

    /// <inheritdoc />
    public async Task StopAsync(string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        try
        {
            await _client.StopContainerAsync(DockerLabels.ContainerName(instanceId), gracePeriod, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            // already gone: stopping is done
        }

        // The next pass must not see it running until its event arrives.
        await _watch.RefreshAsync(instanceId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        await _client.RemoveContainerAsync(DockerLabels.ContainerName(instanceId), force: true, removeVolumes: false, cancellationToken).ConfigureAwait(false);
        _watch.Forget(instanceId);
        _files.Delete(instanceId);
    }

    /// <inheritdoc />
    /// <remarks>Answered from the engine's event stream (see <see cref="ContainerWatch"/>); a full list only at the start and after the stream broke.</remarks>
    public Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken) => _watch.ListAsync(cancellationToken);

    /// <inheritdoc />
    public async Task RemoveAgentResourcesAsync(string agentName, CancellationToken cancellationToken)
    {
        var networks = await _client.ListNetworksAsync([DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_options.OwnerId), DockerLabels.AgentFilter(agentName)], cancellationToken).ConfigureAwait(false);
        foreach (var network in networks)
        {
            await _client.RemoveNetworkAsync(network.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private RuntimeInstance Seen(RuntimeInstance instance)
    {
        _watch.Remember(instance);
        return instance;
    }

    private static RuntimeInstance Observe(ContainerInspect container) =>
        ContainerInstanceMapper.Map(container) ?? throw new RuntimeException(
            $"container '{container.Name}' exists but lacks Berth's labels: remove it (docker rm -f {container.Name.TrimStart('/')}) so Berth can create its own",
            RuntimeErrorKind.Config);

    private async Task<string> CreateContainerAsync(InstanceLaunch launch, string name, List<Mount>? mounts, CancellationToken cancellationToken)
    {
        var spec = launch.Spec;
        var port = spec.Port.ToString(CultureInfo.InvariantCulture) + "/tcp";
        var host = Harden(
            new HostConfig
            {
                // ephemeral port on loopback only: agents are reached through Berth's proxy, never directly
                PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>> { [port] = [new PortBinding { HostIp = "127.0.0.1", HostPort = "" }] },
                Memory = spec.Resources?.MemoryBytes ?? 0,
                NanoCpus = spec.Resources?.Cpus is { } cpus ? (long)Math.Round(cpus * 1e9) : 0,
                RestartPolicy = new Engine.Models.RestartPolicy { Name = "no" },
            },
            spec);
        var image = await ResolveImageAsync(spec, cancellationToken).ConfigureAwait(false);
        var networkId = await EnsureNetworkAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        var request = new ContainerCreateRequest
        {
            Image = image,
            Entrypoint = spec.Command.Count > 0 ? spec.Command : null,
            Cmd = spec.Args.Count > 0 ? spec.Args : null,
            Env = launch.Environment.Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = DockerLabels.ForInstance(_options.OwnerId, launch),
            ExposedPorts = new Dictionary<string, EmptyObject> { [port] = EmptyObject.Instance },
            StopTimeout = (int)Math.Ceiling(_options.StopGrace.TotalSeconds),
            User = spec.Security?.RunAsUser,
            HostConfig = host with { NetworkMode = networkId, ExtraHosts = ["host.docker.internal:host-gateway"], Mounts = mounts },
        };

        try
        {
            var created = await _client.CreateContainerAsync(name, request, cancellationToken).ConfigureAwait(false);
            foreach (var warning in created.Warnings ?? [])
            {
                DockerRuntimeLog.CreateWarning(_logger, name, warning);
            }

            DockerRuntimeLog.ContainerCreated(_logger, launch.InstanceId, name, created.Id);
            return created.Id;
        }
        catch (DockerEngineException ex) when (ex.IsConflict)
        {
            // a concurrent start created it first: start that one
            var existing = await _client.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false);
            return existing.Id;
        }
    }
}
