using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;

namespace Berth.Client;

/// <summary>
/// The <c>/api/v1/model-endpoints</c> and <c>/api/v1/usage</c> routes: the model providers the LLM gateway serves, and what the
/// calls through it used and cost. The calls themselves go to <c>/llm/{name}/</c> with a provider's own SDK.
/// </summary>
public sealed partial class BerthClient
{
    private const string ModelEndpointsPath = "api/v1/model-endpoints";
    private const string UsagePath = "api/v1/usage";

    /// <summary>Every applied model endpoint, its spec with defaults filled in (the key as its secret reference, never its value).</summary>
    public async Task<IReadOnlyList<ModelEndpointView>> ListModelEndpointsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<ModelEndpointView>>(HttpMethod.Get, ModelEndpointsPath, null, cancellationToken);

    /// <summary>One model endpoint; a 404 <see cref="Errors.BerthApiException"/> when it is unknown.</summary>
    public Task<ModelEndpointView> GetModelEndpointAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<ModelEndpointView>(HttpMethod.Get, ModelEndpointPath(name), null, cancellationToken);

    /// <summary>
    /// Creates the model endpoint or updates it to match <paramref name="spec"/> (sent as its <c>kind: ModelEndpoint</c> document, so
    /// fields left at their defaults are set to the defaults); the answer says whether it was created, updated or unchanged. An
    /// invalid spec, or an <c>apiKey</c> naming a secret that does not exist, is a 400 listing every error.
    /// </summary>
    public Task<ResourceApplyResponse> ApplyModelEndpointAsync(ModelEndpointSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SendAsync<ResourceApplyResponse>(
            HttpMethod.Put, ModelEndpointPath(spec.Name), JsonContent.Create(SpecDocuments.ToDocument(spec), BerthClientJson.TypeInfo<JsonObject>()), cancellationToken);
    }

    /// <summary>Deletes the model endpoint; the calls recorded through it stay in the usage ledger. A 404 when it is unknown.</summary>
    public async Task DeleteModelEndpointAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ModelEndpointPath(name));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// What LLM calls through the gateway used and cost, grouped by <paramref name="by"/> (null: the server's default, by agent).
    /// <paramref name="since"/> is a duration like <c>7d</c> or an ISO 8601 time (null: the server's default, the last 7 days);
    /// <paramref name="agent"/> and <paramref name="run"/> count one agent's or one run's calls alone. A bad value is a 400.
    /// </summary>
    public async Task<UsageReport> GetUsageAsync(
        string? since = null, UsageGrouping? by = null, string? agent = null, string? run = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(since))
        {
            query.Add($"since={Escape(since)}");
        }

        if (by is { } grouping)
        {
            query.Add($"by={JsonSerializer.Serialize(grouping, BerthClientJson.TypeInfo<UsageGrouping>()).Trim('"')}");
        }

        if (!string.IsNullOrWhiteSpace(agent))
        {
            query.Add($"agent={Escape(agent)}");
        }

        if (!string.IsNullOrWhiteSpace(run))
        {
            query.Add($"run={Escape(run)}");
        }

        var path = query.Count == 0 ? UsagePath : $"{UsagePath}?{string.Join('&', query)}";
        return await SendAsync<UsageReport>(HttpMethod.Get, path, null, cancellationToken);
    }

    private static string ModelEndpointPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{ModelEndpointsPath}/{Escape(name)}";
    }
}
