using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows.Runs;
using Berth.Testing;
using Berth.Testing.Specs;

namespace Berth.Server.Tests.Workflows;

/// <summary>Applies workflows (as raw JSON, so tests can write what a user writes), starts runs and waits for them over the API; no Docker needed.</summary>
internal sealed class WorkflowClient(HttpClient http)
{
    public async Task<HttpResponseMessage> PutAsync(string name, string json) =>
        await http.PutAsync($"/api/v1/workflows/{name}", new StringContent(SpecBodies.Document("Workflow", json), Encoding.UTF8, "application/json"), TestTimeouts.Token());

    public async Task ApplyAsync(string name, string json)
    {
        using var response = await PutAsync(name, json);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public async Task<RunView> StartAsync(string workflow, JsonObject? inputs = null)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/workflows/{workflow}/runs", new StartRunRequest { Inputs = inputs }, BerthJson.Options, TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunView>(BerthJson.Options))!;
    }

    public async Task<RunView> GetAsync(string runId) =>
        (await http.GetFromJsonAsync<RunView>($"/api/v1/runs/{runId}", BerthJson.Options, TestTimeouts.Token()))!;

    /// <summary>Polls until <paramref name="condition"/> holds; the token's timeout fails the test when it never does.</summary>
    public Task<RunView> WaitForAsync(string runId, Func<RunView, bool> condition) =>
        Eventually.MatchAsync(_ => GetAsync(runId), condition, $"run {runId}");

    public Task<RunView> WaitAsync(string runId) =>
        WaitForAsync(runId, r => r.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled);

    public async Task<RunView> RunAsync(string name, string json, JsonObject? inputs = null)
    {
        await ApplyAsync(name, json);
        return await WaitAsync((await StartAsync(name, inputs)).Id);
    }
}
