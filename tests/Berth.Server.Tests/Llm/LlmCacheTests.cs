using System.Net;
using System.Text;
using Berth.Testing;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// The response cache: with <c>cache.enabled</c>, an identical call is answered from the cache (marked <c>Berth-Llm-Cache: hit</c>),
/// sends nothing upstream and is counted as a cache hit with no tokens and no cost; another body, or a stream, goes upstream.
/// </summary>
public sealed class LlmCacheTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    private const string Body = """{"model":"text-embedding-3-small","input":"cache me"}""";

    [Fact]
    public async Task Call_IdenticalBodyOnCachedEndpoint_AnsweredFromCacheAndNothingSent()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary, "  cache: { enabled: true, ttl: 10m }");
        var (agent, token) = await fixture.AgentAsync(endpoint);
        using var http = fixture.Client(token);
        using var first = await PostAsync(http, endpoint, Body);
        var firstBody = await first.Content.ReadAsStringAsync();
        var sent = fixture.Primary.Calls.Count;

        using var second = await PostAsync(http, endpoint, Body);

        first.Headers.GetValues("Berth-Llm-Cache").ShouldBe(["miss"]);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Headers.GetValues("Berth-Llm-Cache").ShouldBe(["hit"]);
        (await second.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        fixture.Primary.Calls.Count.ShouldBe(sent, "a cache hit must not reach the provider");
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.CacheHits, usage.PromptTokens).ShouldBe((2L, 1L, 21L), "the hit is a call, with no tokens of its own");
        usage.Cost.ShouldBe(0.00000042m, "only the first call cost anything");
    }

    [Fact]
    public async Task Call_AnotherBodyOrUncachedEndpoint_GoesUpstream()
    {
        var cached = await fixture.OpenAIEndpointAsync(fixture.Primary, "  cache: { enabled: true }");
        var uncached = await fixture.OpenAIEndpointAsync(fixture.Primary);
        using (await PostAsync(fixture.Server.Http, cached, Body))
        using (await PostAsync(fixture.Server.Http, uncached, Body))
        {
        }

        var sent = fixture.Primary.Calls.Count;
        using var other = await PostAsync(fixture.Server.Http, cached, """{"model":"text-embedding-3-small","input":"something else"}""");
        using var again = await PostAsync(fixture.Server.Http, uncached, Body);

        other.Headers.GetValues("Berth-Llm-Cache").ShouldBe(["miss"]);
        again.Headers.Contains("Berth-Llm-Cache").ShouldBeFalse();
        (fixture.Primary.Calls.Count - sent).ShouldBe(2);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string endpoint, string body) =>
        http.PostAsync($"/llm/{endpoint}/v1/embeddings", new StringContent(body, Encoding.UTF8, "application/json"), TestTimeouts.Token());
}
