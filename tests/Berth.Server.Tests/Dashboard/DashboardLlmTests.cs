using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Llm;
using Microsoft.Playwright;

namespace Berth.Server.Tests.Dashboard;

/// <summary>
/// The LLM page and the agent page's LLM line in headless Chromium, against calls made through the gateway to a fake
/// provider that reports 21 prompt tokens (5 of them cached) and 8 completion tokens per call, and budgets of agents and
/// workflows set through the API.
/// </summary>
public sealed class DashboardLlmTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Llm_CallBudgetAndEndpoint_ShownToAViewer()
    {
        await using var provider = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        var (endpoint, secret, key) = await ApplyEndpointAsync(provider);
        await CallAsync(fixture.Server.Http, endpoint);
        var agent = $"bud{Guid.NewGuid():N}"[..12];
        var workflow = $"wfb{Guid.NewGuid():N}"[..12];
        await SetBudgetAsync($"agents/{agent}/day", """{"maxTokens":1000}""");
        await SetBudgetAsync($"workflows/{workflow}/run", """{"maxTokens":140,"maxCost":0.5}""");
        await using var session = await DashboardSession.OpenAsync(fixture);

        await session.SignInAsync(fixture.ViewerToken, "#/llm");
        await session.Page.Locator("#llm-by").SelectOptionAsync("endpoint");

        // 21 prompt tokens at 2.5 and 8 completion tokens at 10 per million: 0.0001325, shown to the billionth it is counted in
        var usage = session.Page.Locator("#llm-usage tbody tr", new() { HasText = endpoint });
        await Assertions.Expect(usage.Locator("td")).ToHaveTextAsync([endpoint, "1", "21", "5", "8", "29", "0.0001325"]);
        await Assertions.Expect(session.Page.Locator("#llm-usage thead th").First).ToHaveTextAsync("Endpoint");
        await Assertions.Expect(session.Page.Locator("#llm-usage tfoot td").First).ToHaveTextAsync("Total");
        var budget = session.Page.Locator("#llm-budgets tbody tr", new() { HasText = agent });
        await Assertions.Expect(budget.Locator("td")).ToHaveTextAsync([Exact($"agent/{agent}"), Exact("day"), Exact("0 / 1,000"), Exact("0 (no limit)"), new Regex(@"^\d{4}-\d\d-\d\d 00:00:00Z$")]);
        await Assertions.Expect(budget.Locator("td a")).ToHaveAttributeAsync("href", $"#/agents/{agent}");
        await Assertions.Expect(budget.Locator(".budget-low")).ToHaveCountAsync(0);
        var perRun = session.Page.Locator("#llm-budgets tbody tr", new() { HasText = workflow });
        await Assertions.Expect(perRun.Locator("td")).ToHaveTextAsync(
            [Exact($"workflow/{workflow}"), Exact("run"), Exact("0 / 140"), Exact("0 / 0.50"), Exact("each run (no run has made calls yet)")]);
        await Assertions.Expect(perRun.Locator("td a")).ToHaveAttributeAsync("href", "#/workflows");
        var row = session.Page.Locator("#llm-endpoints tbody tr", new() { HasText = endpoint });
        await Assertions.Expect(row.Locator("td")).ToHaveTextAsync([endpoint, "openai", provider.OpenAIBaseUrl, "gpt-4o-mini as fast", "—", secret, $"/llm/{endpoint}/v1"]);
        (await session.Page.ContentAsync()).ShouldNotContain(key, customMessage: "the provider key never reaches the page");
        await session.ScreenshotAsync("llm");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Llm_WindowAndGroupingOnAPhone_ChangeTheUsageTable()
    {
        await using var provider = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        var (endpoint, _, _) = await ApplyEndpointAsync(provider);
        await CallAsync(fixture.Server.Http, endpoint);
        await using var session = await DashboardSession.OpenAsync(fixture, width: 390, height: 844);
        await session.SignInAsync(fixture.ViewerToken, "#/llm");
        await Assertions.Expect(session.Page.Locator("#llm-usage thead th").First).ToHaveTextAsync("Agent");

        await session.Page.Locator("#llm-by").SelectOptionAsync("model");

        await Assertions.Expect(session.Page.Locator("#llm-usage thead th").First).ToHaveTextAsync("Model");
        await Assertions.Expect(session.Page.Locator("#llm-usage tbody tr td:first-child", new() { HasText = "gpt-4o-mini" })).ToHaveCountAsync(1);
        await session.Page.Locator("#llm-by").SelectOptionAsync("workflow");
        await Assertions.Expect(session.Page.Locator("#llm-usage thead th").First).ToHaveTextAsync("Workflow");
        // a call made outside a workflow run has no workflow
        await Assertions.Expect(session.Page.Locator("#llm-usage tbody tr td:first-child", new() { HasText = "(none)" })).ToHaveCountAsync(1);
        await session.Page.Locator("#llm-by").SelectOptionAsync("day");
        await Assertions.Expect(session.Page.Locator("#llm-usage thead th").First).ToHaveTextAsync("Day");
        await Assertions.Expect(session.Page.Locator("#llm-usage tbody tr td:first-child").Last).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d$"));
        await session.Page.Locator("#llm-since").SelectOptionAsync("24h");
        await Assertions.Expect(session.Page.Locator("#llm-usage tbody tr")).Not.ToHaveCountAsync(0);
        session.Urls.ShouldContain(u => u.Contains("/api/v1/usage?since=24h&by=day", StringComparison.Ordinal));
        (await session.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "the page fits a phone's width");
        await session.ScreenshotAsync("llm-390");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Agent_LlmCallsAndLowBudget_UsageLineShownAndBudgetMarked()
    {
        await using var provider = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        var (endpoint, _, _) = await ApplyEndpointAsync(provider);
        var agent = $"llm{Guid.NewGuid():N}"[..12];
        using var http = fixture.Server.CreateHttp(await AgentTokens.CreateAsync(fixture.Server, agent, mayCall: null, mayUseModels: [endpoint]));
        await CallAsync(http, endpoint);
        await SetBudgetAsync($"agents/{agent}/day", """{"maxTokens":30}""");
        await using var session = await DashboardSession.OpenAsync(fixture);

        await session.SignInAsync(fixture.ViewerToken, $"#/agents/{agent}");

        await Assertions.Expect(session.Page.Locator("#agent-llm")).ToHaveTextAsync("LLM usage (7d): 1 call · 29 tokens · cost 0.0001325 details");
        await session.Page.Locator("#agent-llm a").ClickAsync();
        var budget = session.Page.Locator("#llm-budgets tbody tr", new() { HasText = agent });
        await Assertions.Expect(budget.Locator("td").Nth(2)).ToHaveTextAsync("29 / 30 3% left");
        await Assertions.Expect(budget.Locator(".badge.budget-low")).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator("#llm-usage tbody tr", new() { HasText = agent }).Locator("td").Nth(1)).ToHaveTextAsync("1");
        await session.ScreenshotAsync("llm-low-budget");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Llm_NothingRecorded_ShowsEmptyStates()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await FakeAnswersAsync(session.Page, new JsonArray(), new JsonArray(), null);

        await session.SignInAsync(fixture.ViewerToken, "#/llm");

        await Assertions.Expect(session.Page.Locator(".empty", new() { HasText = "No LLM calls in this window" })).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator(".empty", new() { HasText = "No budgets set" })).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator(".empty", new() { HasText = "No model endpoints" })).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator("main table")).ToHaveCountAsync(0);
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Llm_PerRunBudgetOfAWorkflow_ShowsEachRunAndLinksTheLatestRun()
    {
        // A run's calls reach a workflow's budget through an agent its step asked; the answer the page reads after such a run is
        // faked here, as the API writes it.
        const string Run = "0195f3c2a1b47d6e8f90a1b2c3d4e5f6";
        await using var session = await DashboardSession.OpenAsync(fixture);
        var budget = new JsonObject
        {
            ["budget"] = new JsonObject
            {
                ["scope"] = "workflow", ["name"] = "research", ["period"] = "run", ["maxTokens"] = 140, ["maxCost"] = null, ["subject"] = "workflow/research",
            },
            ["runId"] = Run, ["usedTokens"] = 29, ["usedCost"] = 0.000126m, ["remainingTokens"] = 111, ["remainingCost"] = null, ["resetsAt"] = null,
        };
        await FakeAnswersAsync(session.Page, new JsonArray(), new JsonArray(budget), null);

        await session.SignInAsync(fixture.ViewerToken, "#/llm");

        var row = session.Page.Locator("#llm-budgets tbody tr");
        await Assertions.Expect(row.Locator("td")).ToHaveTextAsync(
            [Exact("workflow/research"), Exact("run"), Exact("29 / 140"), Exact("0.000126 (no limit)"), Exact($"each run (latest run {Run})")]);
        await Assertions.Expect(row.Locator("td:last-child a")).ToHaveAttributeAsync("href", $"#/runs/{Run}");
        await Assertions.Expect(row.Locator("td:first-child a")).ToHaveAttributeAsync("href", "#/workflows");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Llm_MarkupInAnswers_ShownAsText()
    {
        // The server refuses such names (model names and agent names are plain), so the answers are faked: the page must not
        // depend on the server's rules to keep markup from running next to the token.
        const string Markup = """<img src="x" onerror="window.pwned=1">""";
        await using var session = await DashboardSession.OpenAsync(fixture);
        var endpoint = new JsonObject
        {
            ["name"] = "bad",
            ["spec"] = new JsonObject
            {
                ["provider"] = "openai", ["baseUrl"] = "http://127.0.0.1:9/v1/<b>base</b>", ["apiKey"] = "${secret:k}",
                ["models"] = new JsonArray(new JsonObject { ["name"] = "gpt-4o-mini", ["alias"] = Markup }), ["fallbacks"] = new JsonArray("<i>next</i>"),
            },
            ["basePath"] = "/llm/bad/v1",
        };
        var budget = new JsonObject
        {
            ["budget"] = new JsonObject { ["scope"] = "agent", ["name"] = "<u>agent</u>", ["period"] = "day", ["maxTokens"] = 10 },
            ["usedTokens"] = 1, ["usedCost"] = 0, ["remainingTokens"] = 9, ["resetsAt"] = "2030-01-01T00:00:00Z",
        };
        var perRun = new JsonObject
        {
            ["budget"] = new JsonObject { ["scope"] = "workflow", ["name"] = "<u>flow</u>", ["period"] = "run", ["maxTokens"] = 10 },
            ["runId"] = "<i>run</i>", ["usedTokens"] = 1, ["usedCost"] = 0, ["remainingTokens"] = 9, ["resetsAt"] = null,
        };
        await FakeAnswersAsync(session.Page, new JsonArray(endpoint), new JsonArray(budget, perRun), Group(Markup));

        await session.SignInAsync(fixture.ViewerToken, "#/llm");

        await Assertions.Expect(session.Page.Locator("#llm-endpoints td .alias")).ToHaveTextAsync(Markup);
        await Assertions.Expect(session.Page.Locator("#llm-endpoints tbody tr")).ToContainTextAsync("<b>base</b>");
        await Assertions.Expect(session.Page.Locator("#llm-endpoints tbody tr")).ToContainTextAsync("<i>next</i>");
        await Assertions.Expect(session.Page.Locator("#llm-budgets tbody tr td:first-child")).ToHaveTextAsync(["agent/<u>agent</u>", "workflow/<u>flow</u>"]);
        await Assertions.Expect(session.Page.Locator("#llm-budgets tbody tr td:last-child").Last).ToHaveTextAsync("each run (latest run <i>run</i>)");
        await Assertions.Expect(session.Page.Locator("#llm-usage tbody tr td").First).ToHaveTextAsync(Markup);
        (await session.Page.Locator("main img, main b, main i, main u").CountAsync()).ShouldBe(0, "no markup from an answer becomes an element");
        (await session.Page.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue("no handler from an answer ran");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    private static Regex Exact(string text) => new($"^{Regex.Escape(text)}$");

    private async Task<(string Endpoint, string Secret, string Key)> ApplyEndpointAsync(FakeModelProvider provider)
    {
        var endpoint = $"dash-{Guid.NewGuid():N}"[..14];
        var secret = $"dash.{Guid.NewGuid():N}"[..14];
        var key = $"sk-canary-{Guid.NewGuid():N}";
        using var value = new StringContent(key, Encoding.UTF8);
        value.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using (var stored = await fixture.Server.Http.PutAsync($"/api/v1/secrets/{secret}", value, TestTimeouts.Token()))
        {
            stored.IsSuccessStatusCode.ShouldBeTrue(await stored.Content.ReadAsStringAsync());
        }

        using var yaml = new StringContent($$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: {{endpoint}} }
            spec:
              provider: openai
              baseUrl: {{provider.OpenAIBaseUrl}}
              apiKey: ${secret:{{secret}}}
              models: [{ name: gpt-4o-mini, alias: fast }]
              prices:
                gpt-4o-mini: { input: 2.5, output: 10 }
            """, Encoding.UTF8, "application/yaml");
        using var applied = await fixture.Server.Http.PutAsync($"/api/v1/model-endpoints/{endpoint}", yaml, TestTimeouts.Token());
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        return (endpoint, secret, key);
    }

    /// <summary>One chat completion through the gateway, then waits until it is settled in the ledger (a caller has its answer a moment before).</summary>
    private async Task CallAsync(HttpClient http, string endpoint, string model = "gpt-4o-mini")
    {
        using var body = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        using (var answer = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", body, TestTimeouts.Token()))
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        }

        await Eventually.MatchAsync(
            async ct => (await fixture.Server.Http.GetFromJsonAsync<UsageReport>("/api/v1/usage?since=1h&by=endpoint", BerthJson.Options, ct))!,
            report => report.Groups.Any(g => g.Key == endpoint && g.InFlight == 0 && g.Calls > 0),
            last => $"the call through {endpoint} was not settled: {string.Join(", ", last?.Groups.Select(g => $"{g.Key}:{g.Calls}/{g.InFlight}") ?? [])}");
    }

    /// <summary>Sets a budget through the API: <paramref name="path"/> is <c>agents/NAME/day</c> or <c>workflows/NAME/run</c>, say.</summary>
    private async Task SetBudgetAsync(string path, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var set = await fixture.Server.Http.PutAsync($"/api/v1/budgets/{path}", body, TestTimeouts.Token());
        set.IsSuccessStatusCode.ShouldBeTrue(await set.Content.ReadAsStringAsync());
    }

    private static JsonObject Group(string? key, int calls = 1) => new()
    {
        ["key"] = key, ["calls"] = calls, ["inFlight"] = 0, ["promptTokens"] = 21 * calls, ["cachedTokens"] = 5 * calls,
        ["completionTokens"] = 8 * calls, ["totalTokens"] = 29 * calls, ["cost"] = 0.0001325m * calls,
    };

    /// <summary>Answers the page's three LLM routes in the browser with the given documents (one usage group or none); the server is not asked.</summary>
    private static async Task FakeAnswersAsync(IPage page, JsonArray endpoints, JsonArray budgets, JsonObject? group)
    {
        var usage = new JsonObject
        {
            ["since"] = "2030-01-01T00:00:00Z", ["by"] = "agent",
            ["groups"] = group is null ? new JsonArray() : new JsonArray(group), ["total"] = Group(null, group is null ? 0 : 1),
        };
        await page.RouteAsync(new Regex(@"/api/v1/usage\?"), route => Fulfil(route, usage));
        await page.RouteAsync(new Regex(@"/api/v1/budgets$"), route => Fulfil(route, budgets));
        await page.RouteAsync(new Regex(@"/api/v1/model-endpoints$"), route => Fulfil(route, endpoints));
    }

    private static Task Fulfil(IRoute route, JsonNode document) =>
        route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = document.ToJsonString() });
}
