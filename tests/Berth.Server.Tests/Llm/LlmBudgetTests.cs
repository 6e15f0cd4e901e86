using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// Budgets, enforced fail-closed: a call whose estimate (prompt size plus max_tokens) would take an agent past its budget is
/// answered 429 with a problem naming the budget, what is left and when it resets, and nothing is sent upstream; concurrent
/// calls never spend more than the budget between them.
/// </summary>
public sealed class LlmBudgetTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>, IDisposable
{
    [Fact]
    public async Task Call_WouldBreakDailyTokenBudget_Refused429NamingItAndNothingSent()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var body = Chat(maxTokens: 100);
        var estimate = (Encoding.UTF8.GetByteCount(body) / 4) + 100;
        await SetBudgetAsync(agent, "day", new BudgetRequest { MaxTokens = 29 + estimate - 1 });
        using var http = fixture.Client(token);
        (await PostAsync(http, endpoint, body)).StatusCode.ShouldBe(HttpStatusCode.OK, "the first call fits");
        await fixture.UsageAsync(agent);
        var sent = fixture.Primary.Calls.Count;

        using var refused = await PostAsync(http, endpoint, body);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>(TestTimeouts.Token()))!;
        problem["type"]!.GetValue<string>().ShouldBe("urn:berth:problem:budget-exceeded");
        problem["remaining"]!.GetValue<long>().ShouldBe(estimate - 1, "the budget less the first call's 29 tokens");
        problem["resetsAt"]!.GetValue<DateTimeOffset>().ShouldBe(LlmBudget.WindowEnd(BudgetPeriod.Day, DateTimeOffset.UtcNow), TimeSpan.FromDays(1));
        problem["detail"]!.GetValue<string>().ShouldContain($"Agent '{agent}''s daily token budget");
        fixture.Primary.Calls.Count.ShouldBe(sent, "a refused call must not reach the provider");
        (await fixture.UsageAsync(agent)).Total.Calls.ShouldBe(1, "a refused call is not recorded as made");
    }

    [Fact]
    public async Task Call_WouldBreakMonthlyCostBudget_Refused429ByCost()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        await SetBudgetAsync(agent, "month", new BudgetRequest { MaxCost = 0.000001m });
        using var http = fixture.Client(token);

        using var refused = await PostAsync(http, endpoint, Chat(maxTokens: 1000));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("monthly cost budget of 0.000001");
    }

    [Fact]
    public async Task Calls_ManyAtOnceAgainstOneBudget_NeverSpendMoreThanIt()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var body = Chat(maxTokens: 64);
        var estimate = (Encoding.UTF8.GetByteCount(body) / 4) + 64;

        // Each call uses exactly its estimate, so a budget of four estimates admits four calls and no fifth, whatever the order.
        (fixture.Primary.PromptTokens, fixture.Primary.CachedTokens, fixture.Primary.CompletionTokens) = (estimate - 64, 0, 64);
        await SetBudgetAsync(agent, "day", new BudgetRequest { MaxTokens = 4 * estimate });
        using var http = fixture.Client(token);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await PostAsync(http, endpoint, body);
            return response.StatusCode;
        }));

        answers.Count(s => s == HttpStatusCode.OK).ShouldBe(4);
        answers.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBe(8);
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.TotalTokens).ShouldBe((4L, 4L * estimate));
    }

    [Fact]
    public async Task Budgets_SetListAndRemove_ShowWhatTheWindowUsed()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        using var http = fixture.Client(token);
        (await PostAsync(http, endpoint, Chat(maxTokens: 10))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await fixture.UsageAsync(agent);

        var set = await SetBudgetAsync(agent, "month", new BudgetRequest { MaxTokens = 1000, MaxCost = 1m });
        var listed = await ListBudgetsAsync(agent);

        listed.ShouldHaveSingleItem().ShouldBe(set);
        (set.UsedTokens, set.RemainingTokens, set.UsedCost, set.RemainingCost).ShouldBe((29L, 971L, 0.00012625m, 0.99987375m));
        (await fixture.Server.Http.DeleteAsync($"/api/v1/budgets/agents/{agent}/month", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await fixture.Server.Http.DeleteAsync($"/api/v1/budgets/agents/{agent}/month", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Counters_DroppedAndSummedAgain_AgreeWithTheLedger()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        await SetBudgetAsync(agent, "day", new BudgetRequest { MaxTokens = 10_000 });
        await SetBudgetAsync(agent, "month", new BudgetRequest { MaxCost = 1m });
        using var http = fixture.Client(token);
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(http, endpoint, Chat(maxTokens: 500))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await fixture.UsageAsync(agent);
        var counted = await ListBudgetsAsync(agent);
        counted.Select(b => b.UsedTokens).ShouldBe([3 * 29L, 3 * 29L], "each call's estimate (over 500 tokens) replaced by the 29 it used");

        var dropped = await fixture.Server.Server.Services.GetRequiredService<ILlmBudgetStore>().DropIdleCountersAsync(DateTimeOffset.UtcNow.AddMinutes(1), TestTimeouts.Token());

        dropped.ShouldBeGreaterThanOrEqualTo(2);
        (await ListBudgetsAsync(agent)).ShouldBe(counted, "the window summed from the ledger matches the counter it replaces");
        (await PostAsync(http, endpoint, Chat(maxTokens: 500))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await fixture.UsageAsync(agent);
        (await ListBudgetsAsync(agent)).Select(b => b.UsedTokens).ShouldBe([4 * 29L, 4 * 29L], "a counter made again from the sum goes on counting");
    }

    [Fact]
    public async Task Call_PastEndpointsCallsPerMinute_Refused429WithRetryAfterAndNothingSent()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary, "  limits: { requestsPerMinute: 2 }");
        var before = fixture.Primary.Calls.Count;
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await PostAsync(fixture.Server.Http, endpoint, Chat(maxTokens: 10)));
        }

        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        answers[2].Headers.RetryAfter.ShouldNotBeNull();
        (await answers[2].Content.ReadAsStringAsync()).ShouldContain("allows 2 calls a minute");
        (fixture.Primary.Calls.Count - before).ShouldBe(2);
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task Call_LargerThanEndpointsTokensPerMinute_Refused429SayingSo()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary, "  limits: { tokensPerMinute: 50 }");

        using var refused = await PostAsync(fixture.Server.Http, endpoint, Chat(maxTokens: 1000));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("lower max_tokens");
    }

    [Theory]
    [InlineData("week", "{\"maxTokens\":10}", "period must be day or month")]
    [InlineData("day", "{}", "Set maxTokens, maxCost or both")]
    [InlineData("day", "{\"maxTokens\":0}", "expected 1 or more tokens")]
    [InlineData("day", "{\"maxCost\":-1}", "expected more than 0")]
    public async Task SetBudget_BadValue_400NamingIt(string period, string body, string says)
    {
        using var response = await fixture.Server.Http.PutAsync(
            $"/api/v1/budgets/agents/some-agent/{period}", new StringContent(body, Encoding.UTF8, "application/json"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain(says);
    }

    public void Dispose() => (fixture.Primary.PromptTokens, fixture.Primary.CachedTokens, fixture.Primary.CompletionTokens) = (21, 5, 8);

    private static string Chat(int maxTokens) => new JsonObject
    {
        ["model"] = "fast",
        ["max_tokens"] = maxTokens,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "budgeted" }),
    }.ToJsonString();

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string endpoint, string body) =>
        http.PostAsync($"/llm/{endpoint}/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), TestTimeouts.Token());

    private async Task<List<BudgetStatus>> ListBudgetsAsync(string agent) =>
        (await fixture.Server.Http.GetFromJsonAsync<List<BudgetStatus>>($"/api/v1/budgets?agent={agent}", BerthJson.Options, TestTimeouts.Token()))!;

    private async Task<BudgetStatus> SetBudgetAsync(string agent, string period, BudgetRequest request)
    {
        using var response = await fixture.Server.Http.PutAsJsonAsync($"/api/v1/budgets/agents/{agent}/{period}", request, BerthJson.Options, TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BudgetStatus>(BerthJson.Options, TestTimeouts.Token()))!;
    }
}
