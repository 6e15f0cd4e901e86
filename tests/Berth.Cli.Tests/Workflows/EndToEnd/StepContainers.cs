using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Cli.Tests.Workflows.EndToEnd;

/// <summary>
/// What the Docker engine itself saw of a run's step containers: containers carry <c>berth.run</c>, <c>berth.step</c> and
/// <c>berth.owner</c> labels, and the engine's event log keeps every <c>create</c>, so executions can be counted from outside the server.
/// </summary>
internal sealed class StepContainers(DockerEngineClient docker)
{
    public static string RunLabel(string runId) => $"berth.run={runId}";

    public static string OwnerLabel(string serverId) => $"berth.owner={serverId}";

    /// <summary>
    /// Starts following the engine's <c>create</c> events of containers labelled <c>berth.owner=</c><paramref name="serverId"/>. Followed
    /// live rather than read back later: the engine keeps only its last 256 events, which other tests on the same engine push out.
    /// </summary>
    public StepCreations FollowCreations(string serverId) => new(docker, OwnerLabel(serverId));

    /// <summary>Containers (running or not) that carry <paramref name="label"/> (<c>key=value</c>).</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListAsync(string label, CancellationToken cancellationToken) =>
        docker.ListContainersAsync(new ContainerListQuery { All = true, Labels = [label] }, cancellationToken);

    /// <summary>Force-removes every container that carries <paramref name="label"/>: the safety net after a test.</summary>
    public async Task RemoveAsync(string label, CancellationToken cancellationToken)
    {
        foreach (var container in await ListAsync(label, cancellationToken))
        {
            await docker.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, cancellationToken);
        }
    }

    public static string Describe(IEnumerable<ContainerSummary> containers) =>
        string.Join(", ", containers.Select(c => $"{string.Join('/', c.Names)} ({c.State}, step {c.Labels?.GetValueOrDefault("berth.step")})"));
}
