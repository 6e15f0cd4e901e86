using System.Globalization;
using System.Net;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    /// <summary>Creates a container. A missing image throws a Config error with the build/import hint; a taken name throws a 409 conflict.</summary>
    public Task<ContainerCreateResponse> CreateContainerAsync(string? name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = new EngineQuery("containers/create").Add("name", name).ToString();
        return PostJsonAsync<ContainerCreateResponse>(path, request, $"create container '{name ?? request.Image}'", m => ImageNotFound(request.Image, m), cancellationToken);
    }

    /// <summary>Starts a container. Returns false when it was already running.</summary>
    public async Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        var status = await SendExpectingNoBodyAsync(
            HttpMethod.Post, $"containers/{EngineQuery.Segment(id)}/start", null, $"start container '{id}'", m => ContainerNotFound(id, m), cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
        return status != HttpStatusCode.NotModified;
    }

    /// <summary>Stops a container: SIGTERM, then SIGKILL after <paramref name="timeout"/>. Returns false when it was already stopped.</summary>
    public async Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, timeout.TotalSeconds));
        var path = new EngineQuery($"containers/{EngineQuery.Segment(id)}/stop").Add("t", seconds).ToString();
        var status = await SendExpectingNoBodyAsync(HttpMethod.Post, path, null, $"stop container '{id}'", m => ContainerNotFound(id, m), cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
        return status != HttpStatusCode.NotModified;
    }

    /// <summary>Sends a signal (default SIGKILL) to a running container.</summary>
    public Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        var path = new EngineQuery($"containers/{EngineQuery.Segment(id)}/kill").Add("signal", signal).ToString();
        return SendExpectingNoBodyAsync(HttpMethod.Post, path, null, $"kill container '{id}'", m => ContainerNotFound(id, m), cancellationToken);
    }

    /// <summary>Removes a container (killing it first when <paramref name="force"/>). Returns false when it did not exist.</summary>
    public async Task<bool> RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        var path = new EngineQuery($"containers/{EngineQuery.Segment(id)}").Add("force", force).Add("v", removeVolumes).ToString();
        var status = await SendExpectingNoBodyAsync(HttpMethod.Delete, path, null, $"remove container '{id}'", null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>Inspects a container by id or name; a missing one throws with <see cref="DockerEngineException.IsNotFound"/>.</summary>
    public Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        GetJsonAsync<ContainerInspect>($"containers/{EngineQuery.Segment(id)}/json", $"inspect container '{id}'", m => ContainerNotFound(id, m), cancellationToken);

    /// <summary>Inspects a container by id or name; null when it does not exist.</summary>
    public async Task<ContainerInspect?> TryInspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists containers matching <paramref name="query"/>.</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(ContainerListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new Dictionary<string, IReadOnlyList<string>> { ["label"] = query.Labels, ["name"] = query.Names };
        var path = new EngineQuery("containers/json").Add("all", query.All).AddFilters(filters).ToString();
        return GetJsonAsync<IReadOnlyList<ContainerSummary>>(path, "list containers", null, cancellationToken);
    }

    /// <summary>Waits for a container to stop (or be removed) and returns its exit code.</summary>
    public async Task<ContainerWaitResponse> WaitContainerAsync(string id, WaitCondition condition, CancellationToken cancellationToken)
    {
        var value = condition switch
        {
            WaitCondition.NextExit => "next-exit",
            WaitCondition.Removed => "removed",
            _ => "not-running",
        };
        var path = new EngineQuery($"containers/{EngineQuery.Segment(id)}/wait").Add("condition", value).ToString();
        return await PostJsonAsync<ContainerWaitResponse>(path, null, $"wait for container '{id}'", m => ContainerNotFound(id, m), cancellationToken).ConfigureAwait(false);
    }

    private static DockerEngineException ContainerNotFound(string id, string engineMessage) => new(
        string.Create(CultureInfo.InvariantCulture, $"container '{id}' does not exist (it was removed, or never created): {engineMessage}"),
        RuntimeErrorKind.Config,
        HttpStatusCode.NotFound,
        engineMessage);
}
