using System.Net;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    /// <summary>Creates a network and returns its id; a name already taken throws a 409 conflict.</summary>
    public async Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await PostJsonAsync<IdResponse>("networks/create", request, $"create network '{request.Name}'", null, cancellationToken).ConfigureAwait(false);
        return response.Id;
    }

    /// <summary>Inspects a network by id or name; a missing one throws with <see cref="DockerEngineException.IsNotFound"/>.</summary>
    public Task<NetworkInspect> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken) =>
        GetJsonAsync<NetworkInspect>($"networks/{EngineQuery.Segment(idOrName)}", $"inspect network '{idOrName}'", m => NetworkNotFound(idOrName, m), cancellationToken);

    /// <summary>Inspects a network by id or name; null when it does not exist.</summary>
    public async Task<NetworkInspect?> TryInspectNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectNetworkAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists networks carrying all <paramref name="labels"/> (<c>key</c> or <c>key=value</c>).</summary>
    public Task<IReadOnlyList<NetworkInspect>> ListNetworksAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>> { ["label"] = labels };
        var path = new EngineQuery("networks").AddFilters(filters).ToString();
        return GetJsonAsync<IReadOnlyList<NetworkInspect>>(path, "list networks", null, cancellationToken);
    }

    /// <summary>Removes a network. Returns false when it did not exist; one with containers attached throws.</summary>
    public async Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        var status = await SendExpectingNoBodyAsync(
            HttpMethod.Delete, $"networks/{EngineQuery.Segment(idOrName)}", null, $"remove network '{idOrName}' (are containers still attached?)", null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>Attaches a container to a network, optionally under extra DNS aliases.</summary>
    public Task ConnectNetworkAsync(string network, string container, IReadOnlyList<string>? aliases, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["Container"] = container,
            ["EndpointConfig"] = new Dictionary<string, object> { ["Aliases"] = aliases ?? [] },
        };
        return SendExpectingNoBodyAsync(HttpMethod.Post, $"networks/{EngineQuery.Segment(network)}/connect", body, $"connect container '{container}' to network '{network}'", m => NetworkNotFound(network, m), cancellationToken);
    }

    /// <summary>Detaches a container from a network.</summary>
    public Task DisconnectNetworkAsync(string network, string container, bool force, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object> { ["Container"] = container, ["Force"] = force };
        return SendExpectingNoBodyAsync(HttpMethod.Post, $"networks/{EngineQuery.Segment(network)}/disconnect", body, $"disconnect container '{container}' from network '{network}'", m => NetworkNotFound(network, m), cancellationToken);
    }

    private static DockerEngineException NetworkNotFound(string network, string engineMessage) => new(
        $"network or container for '{network}' does not exist: {engineMessage}",
        RuntimeErrorKind.Config,
        HttpStatusCode.NotFound,
        engineMessage);
}
