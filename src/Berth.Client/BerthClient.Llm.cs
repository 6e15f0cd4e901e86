using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;

namespace Berth.Client;

/// <summary>
/// The <c>/api/v1/model-endpoints</c>, <c>/api/v1/usage</c> and <c>/api/v1/budgets</c> routes: the model providers the LLM gateway
/// serves, what the calls through it used and cost, and the agents' budgets. The calls themselves go to <c>/llm/{name}/</c> with a
/// provider's own SDK.
/// </summary>
public sealed partial class BerthClient
{
    private const string ModelEndpointsPath = "api/v1/model-endpoints";
    private const string UsagePath = "api/v1/usage";
    private const string BudgetsPath = "api/v1/budgets";

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

    /// <summary>
    /// Every budget with what its current window used, what is left and when it resets; with <paramref name="agent"/> (null: every
    /// agent's) only that agent's. An empty list when there are none.
    /// </summary>
    public async Task<IReadOnlyList<BudgetStatus>> ListBudgetsAsync(string? agent = null, CancellationToken cancellationToken = default) =>
        await SendAsync<List<BudgetStatus>>(
            HttpMethod.Get, string.IsNullOrWhiteSpace(agent) ? BudgetsPath : $"{BudgetsPath}?agent={Escape(agent)}", null, cancellationToken);

    /// <summary>
    /// Sets <paramref name="agent"/>'s budget for a UTC day or month to the limits of <paramref name="request"/> (at least one), replacing
    /// the one it had for that period; the answer is the budget with what its current window has used. Limits out of range are a 400.
    /// </summary>
    public Task<BudgetStatus> SetBudgetAsync(string agent, BudgetPeriod period, BudgetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<BudgetStatus>(
            HttpMethod.Put, BudgetPath(agent, period), JsonContent.Create(request, BerthClientJson.TypeInfo<BudgetRequest>()), cancellationToken);
    }

    /// <summary>Removes <paramref name="agent"/>'s budget for <paramref name="period"/>, so its calls are no longer limited by it; a 404 when it has none.</summary>
    public async Task DeleteBudgetAsync(string agent, BudgetPeriod period, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, BudgetPath(agent, period));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private static string BudgetPath(string agent, BudgetPeriod period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        return $"{BudgetsPath}/{Escape(agent)}/{JsonSerializer.Serialize(period, BerthClientJson.TypeInfo<BudgetPeriod>()).Trim('"')}";
    }

    private static string ModelEndpointPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{ModelEndpointsPath}/{Escape(name)}";
    }
}
