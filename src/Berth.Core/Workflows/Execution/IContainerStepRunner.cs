namespace Berth.Core.Workflows.Execution;

/// <summary>
/// Runs container steps on an engine: files go in and out through the engine's archive API (no host bind mounts), so the
/// same step runs on a remote engine. Failures are <see cref="StepRunException"/>s carrying their error class.
/// </summary>
public interface IContainerStepRunner
{
    /// <summary>The image's ID (<c>sha256:…</c>), the part of a cache key that changes when a tag moves; <see cref="ErrorClass.Config"/> when it is not there.</summary>
    Task<string> ResolveImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Creates the container, copies the files in, starts it and returns its id (stored before waiting, so a restarted server can re-attach).</summary>
    Task<string> StartAsync(ContainerStepLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// Follows the container's output (each line to <paramref name="onLine"/>) until it exits, then copies out
    /// <paramref name="outputs"/> and removes it. Works the same for a container started by an earlier server process.
    /// Cancelling kills and removes the container. <see cref="ErrorClass.Transient"/> when the container is gone.
    /// </summary>
    Task<ContainerStepResult> WaitAsync(string containerId, IReadOnlyList<string> outputs, Func<string, CancellationToken, Task>? onLine, CancellationToken cancellationToken);

    /// <summary>Kills and removes the container; nothing when it is already gone.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Ids of step containers labelled with <paramref name="owner"/>, of run <paramref name="runId"/> and step
    /// <paramref name="stepId"/> when given: to remove what a server that stopped between creating a container and storing its
    /// id left behind.
    /// </summary>
    Task<IReadOnlyList<string>> ListAsync(string owner, string? runId, string? stepId, CancellationToken cancellationToken);
}
