using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Docker.Steps;

/// <summary>
/// Runs container steps on a Docker engine with the minimum of round trips: create, copy the files in (one archive), start;
/// then follow the output until exit, inspect, copy each output out, remove. Files never touch the host's disk, so the same
/// step runs against a remote engine. Step containers drop all capabilities but the few ordinary shell work needs
/// (<see cref="StepContainerRequest.Capabilities"/>) and cannot gain privileges.
/// </summary>
public sealed partial class DockerContainerStepRunner : IContainerStepRunner
{
    /// <summary>Most bytes of output files one step may return: 64 MiB.</summary>
    public const long DefaultOutputLimit = 64L * 1024 * 1024;

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    private readonly DockerEngineClient _client;
    private readonly long _outputLimit;
    private readonly ILogger _logger;

    /// <summary>Creates the runner; the engine client belongs to the caller.</summary>
    public DockerContainerStepRunner(DockerEngineClient client, ILogger<DockerContainerStepRunner>? logger = null)
        : this(client, DefaultOutputLimit, logger)
    {
    }

    internal DockerContainerStepRunner(DockerEngineClient client, long outputLimit, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _outputLimit = outputLimit;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<string> ResolveImageAsync(string image, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        try
        {
            var inspected = await _client.TryInspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            return inspected?.Id ?? throw new StepRunException(
                ErrorClass.Config,
                $"image '{image}' is not on this engine; build or load it (docker build -t {image} . or docker load -i image.tar): Berth pulls from no registry");
        }
        catch (DockerEngineException ex)
        {
            throw StepEngineErrors.From(ex);
        }
    }

    /// <inheritdoc />
    public async Task<string> StartAsync(ContainerStepLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var name = StepContainerRequest.Name(launch);
        var request = StepContainerRequest.Create(launch);
        var outputDirectories = StepOutputDirectories.For(launch.Outputs);
        string? id = null;
        try
        {
            // Not the caller's token: a create abandoned in flight can still make a container whose id we never learn.
            using (var createTimeout = new CancellationTokenSource(CleanupTimeout))
            {
                id = await CreateAsync(name, request, createTimeout.Token).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var missing = await MissingAsync(id, outputDirectories, cancellationToken).ConfigureAwait(false);
            using var files = await StepContainerRequest.FilesArchiveAsync(launch, missing, cancellationToken).ConfigureAwait(false);
            if (files is not null)
            {
                await _client.PutArchiveAsync(id, "/", files, cancellationToken).ConfigureAwait(false);
            }

            await _client.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            StepRunnerLog.Started(_logger, launch.RunId, launch.StepId, launch.Attempt, name, id);
            return id;
        }
        catch (DockerEngineException ex)
        {
            await RemoveIfCreatedAsync(id).ConfigureAwait(false);
            throw StepEngineErrors.From(ex);
        }
        catch (IOException ex)
        {
            await RemoveIfCreatedAsync(id).ConfigureAwait(false);
            throw StepEngineErrors.StreamBroken("starting the step", ex);
        }
        catch (Exception ex) when (ex is OperationCanceledException or StepRunException)
        {
            await RemoveIfCreatedAsync(id).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        try
        {
            await _client.RemoveContainerAsync(containerId, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsConflict && ex.EngineMessage?.Contains("already in progress", StringComparison.OrdinalIgnoreCase) == true)
        {
            // someone else is removing it already
        }
        catch (DockerEngineException ex)
        {
            throw StepEngineErrors.From(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(string owner, string? runId, string? stepId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        try
        {
            List<string> labels = [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(owner), stepId is null ? StepLabels.Step : $"{StepLabels.Step}={stepId}"];
            if (runId is not null)
            {
                labels.Add($"{StepLabels.Run}={runId}");
            }

            var query = new ContainerListQuery { All = true, Labels = labels };
            var containers = await _client.ListContainersAsync(query, cancellationToken).ConfigureAwait(false);
            return containers.Select(c => c.Id).ToList();
        }
        catch (DockerEngineException ex)
        {
            throw StepEngineErrors.From(ex);
        }
    }

    /// <summary>The directories the image lacks; an image's own directory is left as it is (its owner and mode matter to it).</summary>
    private async Task<List<string>> MissingAsync(string containerId, List<string> directories, CancellationToken cancellationToken)
    {
        var missing = new List<string>(directories.Count);
        foreach (var directory in directories)
        {
            if (!await _client.PathExistsAsync(containerId, directory, cancellationToken).ConfigureAwait(false))
            {
                missing.Add(directory);
            }
        }

        return missing;
    }

    private async Task<string> CreateAsync(string name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ContainerCreateResponse created;
        try
        {
            created = await _client.CreateContainerAsync(name, request, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsConflict)
        {
            // the name is this very attempt's: a server that died between create and start left it, and no one waits for it
            await _client.RemoveContainerAsync(name, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
            StepRunnerLog.ReplacedLeftover(_logger, name);
            created = await _client.CreateContainerAsync(name, request, cancellationToken).ConfigureAwait(false);
        }

        foreach (var warning in created.Warnings ?? [])
        {
            StepRunnerLog.CreateWarning(_logger, name, warning);
        }

        return created.Id;
    }

    // a container that never started is of no use to anyone: leave nothing behind
    private Task RemoveIfCreatedAsync(string? containerId) => containerId is null ? Task.CompletedTask : RemoveQuietlyAsync(containerId);

    /// <summary>Force-removes a container on the way out of a failure or a cancellation, whatever the caller's token says.</summary>
    private async Task RemoveQuietlyAsync(string containerId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            await _client.RemoveContainerAsync(containerId, force: true, removeVolumes: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DockerEngineException or OperationCanceledException or IOException)
        {
            StepRunnerLog.RemoveFailed(_logger, containerId, ex.Message, ex);
        }
    }
}
