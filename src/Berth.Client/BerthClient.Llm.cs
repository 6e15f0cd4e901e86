using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;

namespace Berth.Client;

/// <summary>
/// The <c>/api/v1/model-endpoints</c>, <c>/api/v1/usage</c> and <c>/api/v1/budgets</c> routes: the model providers the LLM gateway
/// serves, what the calls through it used and cost, and the budgets of agents and workflows. The calls themselves go to
/// <c>/llm/{name}/</c> with a provider's own SDK.
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
    /// <paramref name="agent"/>, <paramref name="run"/> and <paramref name="workflow"/> count one agent's calls, one run's, or those
    /// made for any run of one workflow alone (null: every call). A bad value is a 400.
    /// </summary>
    public async Task<UsageReport> GetUsageAsync(
        string? since = null, UsageGrouping? by = null, string? agent = null, string? run = null, string? workflow = null, CancellationToken cancellationToken = default)
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

        if (!string.IsNullOrWhiteSpace(workflow))
        {
            query.Add($"workflow={Escape(workflow)}");
        }

        var path = query.Count == 0 ? UsagePath : $"{UsagePath}?{string.Join('&', query)}";
        return await SendAsync<UsageReport>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>
    /// Every budget, by scope, name then period, with what its current window used, what is left and when it resets (for a per-run
    /// budget, what the workflow's latest run that made calls used). With <paramref name="name"/>, only the budgets of that agent or
    /// workflow, as <paramref name="scope"/> says (null: an agent); with <paramref name="scope"/> alone, every agent's or every
    /// workflow's. An empty list when there are none.
    /// </summary>
    public async Task<IReadOnlyList<BudgetStatus>> ListBudgetsAsync(
        BudgetScope? scope = null, string? name = null, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            return await SendAsync<List<BudgetStatus>>(
                HttpMethod.Get, $"{BudgetsPath}?{(scope ?? BudgetScope.Agent).WireName()}={Escape(name)}", null, cancellationToken);
        }

        var budgets = await SendAsync<List<BudgetStatus>>(HttpMethod.Get, BudgetsPath, null, cancellationToken);
        return scope is { } only ? budgets.FindAll(b => b.Budget.Scope == only) : budgets;
    }

    /// <summary>
    /// Sets the budget of the agent or workflow <paramref name="name"/> for <paramref name="period"/> to the limits of
    /// <paramref name="request"/> (at least one), replacing the one it had for that period; the answer is the budget with what its
    /// current window has used. An agent's period is a UTC day or month; a workflow's is also <see cref="BudgetPeriod.Run"/>, each
    /// of its runs. A period the scope does not take, or limits out of range, are a 400.
    /// </summary>
    public Task<BudgetStatus> SetBudgetAsync(BudgetScope scope, string name, BudgetPeriod period, BudgetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<BudgetStatus>(
            HttpMethod.Put, BudgetPath(scope, name, period), JsonContent.Create(request, BerthClientJson.TypeInfo<BudgetRequest>()), cancellationToken);
    }

    /// <summary>
    /// Removes the budget of the agent or workflow <paramref name="name"/> for <paramref name="period"/>, so calls are no longer
    /// limited by it; a 404 when it has none.
    /// </summary>
    public async Task DeleteBudgetAsync(BudgetScope scope, string name, BudgetPeriod period, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, BudgetPath(scope, name, period));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary><c>api/v1/budgets/agents/NAME/day</c> or <c>api/v1/budgets/workflows/NAME/run</c>.</summary>
    private static string BudgetPath(BudgetScope scope, string name, BudgetPeriod period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var segment = scope == BudgetScope.Workflow ? "workflows" : "agents";
        return $"{BudgetsPath}/{segment}/{Escape(name)}/{period.WireName()}";
    }

    private static string ModelEndpointPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{ModelEndpointsPath}/{Escape(name)}";
    }
}
