using System.Net;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Engine.Models.Swarm;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    /// <summary>This engine's Swarm membership, from <c>GET /info</c>.</summary>
    public async Task<SwarmInfo> GetSwarmInfoAsync(CancellationToken cancellationToken) =>
        (await GetJsonAsync<EngineInfo>("info", "describe itself", null, cancellationToken).ConfigureAwait(false)).Swarm;

    /// <summary>Creates a service and returns its id; a name already taken throws a 409 conflict.</summary>
    public async Task<string> CreateServiceAsync(ServiceSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var created = await PostJsonAsync<IdResponse>("services/create", spec, $"create service '{spec.Name}'", null, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    /// <summary>Inspects a service by id or name; null when it does not exist.</summary>
    public async Task<ServiceInspect?> TryInspectServiceAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await GetJsonAsync<ServiceInspect>($"services/{EngineQuery.Segment(idOrName)}", $"inspect service '{idOrName}'", m => ServiceNotFound(idOrName, m), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Replaces a service's spec; <paramref name="version"/> is the one read with it, so a concurrent update fails rather than being undone.</summary>
    public async Task UpdateServiceAsync(string id, ObjectVersion version, ServiceSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var path = new EngineQuery($"services/{EngineQuery.Segment(id)}/update").Add("version", version.Index).ToString();
        await PostJsonAsync<ServiceUpdateResponse>(path, spec, $"update service '{id}'", m => ServiceNotFound(id, m), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a service and so its tasks. Returns false when it did not exist.</summary>
    public async Task<bool> RemoveServiceAsync(string idOrName, CancellationToken cancellationToken)
    {
        var status = await SendExpectingNoBodyAsync(
            HttpMethod.Delete, $"services/{EngineQuery.Segment(idOrName)}", null, $"remove service '{idOrName}'", null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>Lists services carrying all <paramref name="labels"/> (<c>key</c> or <c>key=value</c>).</summary>
    public Task<IReadOnlyList<ServiceInspect>> ListServicesAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var path = new EngineQuery("services").AddFilters(new Dictionary<string, IReadOnlyList<string>> { ["label"] = labels }).ToString();
        return GetJsonAsync<IReadOnlyList<ServiceInspect>>(path, "list services", null, cancellationToken);
    }

    /// <summary>Lists the tasks of the services named (ids or names); none named lists every task of the swarm.</summary>
    public Task<IReadOnlyList<SwarmTask>> ListTasksAsync(IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var path = new EngineQuery("tasks").AddFilters(new Dictionary<string, IReadOnlyList<string>> { ["service"] = services }).ToString();
        return GetJsonAsync<IReadOnlyList<SwarmTask>>(path, "list tasks", null, cancellationToken);
    }

    /// <summary>Creates a Swarm secret and returns its id.</summary>
    public async Task<string> CreateSecretAsync(SecretCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await PostJsonAsync<IdResponse>("secrets/create", request, $"create secret '{request.Name}'", null, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    /// <summary>Lists Swarm secrets carrying all <paramref name="labels"/>.</summary>
    public Task<IReadOnlyList<SecretSummary>> ListSecretsAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var path = new EngineQuery("secrets").AddFilters(new Dictionary<string, IReadOnlyList<string>> { ["label"] = labels }).ToString();
        return GetJsonAsync<IReadOnlyList<SecretSummary>>(path, "list secrets", null, cancellationToken);
    }

    /// <summary>Removes a Swarm secret. Returns false when it did not exist; one a service still uses throws.</summary>
    public async Task<bool> RemoveSecretAsync(string idOrName, CancellationToken cancellationToken)
    {
        var status = await SendExpectingNoBodyAsync(
            HttpMethod.Delete, $"secrets/{EngineQuery.Segment(idOrName)}", null, $"remove secret '{idOrName}' (does a service still use it?)", null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    private static DockerEngineException ServiceNotFound(string id, string engineMessage) => new(
        $"service '{id}' does not exist (it was removed, or never created): {engineMessage}",
        RuntimeErrorKind.Config,
        HttpStatusCode.NotFound,
        engineMessage);

    private sealed record ServiceUpdateResponse
    {
        public IReadOnlyList<string>? Warnings { get; init; }
    }
}
