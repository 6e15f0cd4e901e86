using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Llm;
using Berth.Testing.Postgres;

namespace Berth.Server.Tests.Cluster;

/// <summary>
/// Two real servers on one PostgreSQL database enforce one agent's LLM budget together: calls spread over both, all at once,
/// never spend more than the budget between them, and a refused call reaches no provider.
/// </summary>
[RequiresPostgres]
public sealed class SharedBudgetTests : IAsyncLifetime
{
    private const int MaxTokens = 64;

    private string _store = "";
    private TestServer? _first;
    private TestServer? _second;
    private FakeModelProvider? _provider;

    public async Task InitializeAsync()
    {
        _store = await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token());
        _first = await TestServer.StartAsync(extraArgs: ["--store", _store]);
        _second = await TestServer.StartAsync(dataDir: ClusterDataDirs.WithKeyOf(_first), extraArgs: ["--store", _store]);
        _provider = await FakeModelProvider.StartAsync(TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        foreach (var server in new[] { _second, _first })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        await ScratchPostgres.DropDatabaseAsync(_store, TestTimeouts.Token());
    }

    [Fact]
    public async Task Calls_ManyAtOnceThroughBothServers_NeverSpendMoreThanTheAgentsBudget()
    {
        var endpoint = await ApplyEndpointAsync();
        var agent = $"ag{Guid.NewGuid():N}"[..14];
        var token = await AgentTokens.CreateAsync(_first!, agent, mayCall: null, mayUseModels: [endpoint]);
        var body = new JsonObject
        {
            ["model"] = "gpt-4o-mini",
            ["max_tokens"] = MaxTokens,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "shared budget" }),
        }.ToJsonString();
        var estimate = (Encoding.UTF8.GetByteCount(body) / 4) + MaxTokens;

        // Each call uses exactly its estimate, so a budget of four estimates admits four calls and no fifth, whichever server takes it.
        (_provider!.PromptTokens, _provider.CachedTokens, _provider.CompletionTokens) = (estimate - MaxTokens, 0, MaxTokens);
        using (var set = await _first!.Http.PutAsJsonAsync(
            $"/api/v1/budgets/agents/{agent}/day", new BudgetRequest { MaxTokens = 4 * estimate }, BerthJson.Options, TestTimeouts.Token()))
        {
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        }

        using var viaFirst = _first.CreateHttp(token);
        using var viaSecond = _second!.CreateHttp(token);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var http = i % 2 == 0 ? viaFirst : viaSecond;
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", content, TestTimeouts.Token());
            return response.StatusCode;
        }));

        answers.Count(s => s == HttpStatusCode.OK).ShouldBe(4, string.Join(", ", answers));
        answers.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBe(12, string.Join(", ", answers));
        _provider.Calls.Count.ShouldBe(4, "a refused call must not reach the provider");
        var usage = await Eventually.MatchAsync(
            async ct => (await _second.Http.GetFromJsonAsync<UsageReport>($"/api/v1/usage?since=1h&agent={agent}", BerthJson.Options, ct))!,
            report => report.Total.InFlight == 0,
            last => $"calls stayed in flight: {last?.Total.InFlight}");
        (usage.Total.Calls, usage.Total.TotalTokens).ShouldBe((4L, 4L * estimate), "both servers' calls in one ledger");
    }

    /// <summary>Stores the provider key as a secret and applies an OpenAI endpoint on the fake provider, through the first server.</summary>
    private async Task<string> ApplyEndpointAsync()
    {
        using var key = new ByteArrayContent(Encoding.UTF8.GetBytes($"sk-shared-{Guid.NewGuid():N}"));
        key.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using (var stored = await _first!.Http.PutAsync("/api/v1/secrets/llm.shared.key", key, TestTimeouts.Token()))
        {
            stored.EnsureSuccessStatusCode();
        }

        var name = $"oa-{Guid.NewGuid():N}"[..16];
        var yaml = $$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: {{name}} }
            spec:
              provider: openai
              baseUrl: {{_provider!.OpenAIBaseUrl}}
              apiKey: ${secret:llm.shared.key}
              models: [gpt-4o-mini]
              prices:
                gpt-4o-mini: { input: 2.5, output: 10 }
            """;
        using var applied = await _first.Http.PutAsync($"/api/v1/model-endpoints/{name}", new StringContent(yaml, Encoding.UTF8, "application/yaml"), TestTimeouts.Token());
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        return name;
    }
}
