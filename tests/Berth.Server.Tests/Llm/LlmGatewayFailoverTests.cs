using System.Net;
using Berth.Testing;
using static Berth.Server.Tests.Llm.LlmGatewayAccessTests;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// Retries and failover: a 429, a 5xx or an unreachable provider is tried again up to <c>retry.maxAttempts</c>, then the call
/// moves to the endpoint's fallbacks in order; when every one fails the last answer reaches the caller as the provider gave it.
/// </summary>
public sealed class LlmGatewayFailoverTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>, IDisposable
{
    [Fact]
    public async Task Call_PrimaryAnswers503_RetriedThenAnsweredByFallback()
    {
        var fallback = await fixture.OpenAIEndpointAsync(fixture.Fallback);
        var primary = await fixture.OpenAIEndpointAsync(fixture.Primary, $"  fallbacks: [{fallback}]");
        var (agent, token) = await fixture.AgentAsync(primary);
        fixture.Primary.Answer = HttpStatusCode.ServiceUnavailable;
        var (tried, answered) = (fixture.Primary.Calls.Count, fixture.Fallback.Calls.Count);

        using var http = fixture.Client(token);
        using var response = await http.PostAsync($"/llm/{primary}/v1/chat/completions", Chat("fast", "fail over"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Berth-Llm-Endpoint").ShouldBe([fallback]);
        (fixture.Primary.Calls.Count - tried).ShouldBe(2, "retry.maxAttempts is 2 on the primary");
        (fixture.Fallback.Calls.Count - answered).ShouldBe(1);
        fixture.Fallback.Calls[^1].Headers["authorization"].ShouldBe($"Bearer {fixture.Key}");
        var usage = (await fixture.UsageAsync(agent, by: "endpoint")).Groups.ShouldHaveSingleItem();
        (usage.Key, usage.Calls, usage.PromptTokens, usage.CompletionTokens).ShouldBe((primary, 1L, 21L, 8L), "the call is counted once, under the endpoint called");
    }

    [Fact]
    public async Task Call_PrimaryUnreachable_AnsweredByFallback()
    {
        var fallback = await fixture.OpenAIEndpointAsync(fixture.Fallback);
        var name = $"dead-{Guid.NewGuid():N}"[..16];
        using (var applied = await fixture.ApplyAsync(name, $$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: {{name}} }
            spec:
              baseUrl: http://127.0.0.1:9/v1
              models: [{ name: gpt-4o-mini, alias: fast }]
              retry: { maxAttempts: 1 }
              fallbacks: [{{fallback}}]
            """))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        using var response = await fixture.Server.Http.PostAsync($"/llm/{name}/v1/chat/completions", Chat("fast", "unreachable"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Berth-Llm-Endpoint").ShouldBe([fallback]);
    }

    [Fact]
    public async Task Call_EveryProviderAnswers429_LastAnswerPassedThroughAndNothingCharged()
    {
        var fallback = await fixture.OpenAIEndpointAsync(fixture.Fallback);
        var primary = await fixture.OpenAIEndpointAsync(fixture.Primary, $"  fallbacks: [{fallback}]");
        var (agent, token) = await fixture.AgentAsync(primary);
        fixture.Primary.Answer = HttpStatusCode.TooManyRequests;
        fixture.Fallback.Answer = HttpStatusCode.TooManyRequests;

        using var http = fixture.Client(token);
        using var response = await http.PostAsync($"/llm/{primary}/v1/chat/completions", Chat("fast", "all busy"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await response.Content.ReadAsStringAsync()).ShouldContain("fake provider answers 429", customMessage: "the provider's own error reaches the caller's SDK");
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.TotalTokens, usage.Cost).ShouldBe((1L, 0L, 0m));
    }

    [Fact]
    public async Task Call_ProviderAnswers400_NotRetriedAndPassedThrough()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        fixture.Primary.Answer = HttpStatusCode.BadRequest;
        var before = fixture.Primary.Calls.Count;

        using var response = await fixture.Server.Http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("fast", "bad"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (fixture.Primary.Calls.Count - before).ShouldBe(1, "a 4xx other than 429 is the caller's to fix; sending it again would not help");
    }

    public void Dispose()
    {
        fixture.Primary.Answer = null;
        fixture.Fallback.Answer = null;
    }
}
