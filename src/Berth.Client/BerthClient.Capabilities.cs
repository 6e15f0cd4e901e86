using Berth.Client.Contracts;

namespace Berth.Client;

/// <summary>The <c>/api/v1/capabilities</c> routes and calls by capability (<c>/capabilities/{name}/{path}</c>).</summary>
public sealed partial class BerthClient
{
    private const string CapabilitiesPath = "api/v1/capabilities";

    /// <summary>Every capability agents and installed plugins declare, by name, with how many providers each has and how many can take a call now.</summary>
    public async Task<IReadOnlyList<CapabilityView>> ListCapabilitiesAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<CapabilityView>>(HttpMethod.Get, CapabilitiesPath, null, cancellationToken);

    /// <summary>One capability with each provider's declaration and health; a 404 <see cref="Errors.BerthApiException"/> when nothing declares it.</summary>
    public Task<CapabilityDetail> GetCapabilityAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return SendAsync<CapabilityDetail>(HttpMethod.Get, $"{CapabilitiesPath}/{Escape(name)}", null, cancellationToken);
    }

    /// <summary>
    /// Sends a request to whichever healthy agent declares the capability (<c>/capabilities/{name}/{path}</c>): the server picks
    /// the least busy and fails over to another on a transient failure; the answer's <c>Berth-Provider</c> header names the
    /// agent that served. The answer is returned as it is, whatever its status, unbuffered; the caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> CallCapabilityAsync(string capability, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(capability);
        ArgumentNullException.ThrowIfNull(request);
        var relative = request.RequestUri?.OriginalString.TrimStart('/') ?? string.Empty;
        request.RequestUri = new Uri(new Uri(BaseAddress, $"capabilities/{Escape(capability)}/"), relative);
        return await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
