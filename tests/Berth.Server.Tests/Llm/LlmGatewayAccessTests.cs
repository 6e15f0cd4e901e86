using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Security;
using Berth.Testing;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// Who may call what through the gateway: an agent only the endpoints and models its spec's <c>access.models</c> grants, users
/// by role (operators and admins, recorded under their token; viewers not), and a refused call sends nothing upstream.
/// </summary>
public sealed class LlmGatewayAccessTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    [Fact]
    public async Task Call_AgentWithoutGrantForEndpoint_Forbidden403AndNothingSent()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var other = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(other);
        var before = fixture.Primary.Calls.Count;

        using var http = fixture.Client(token);
        using var response = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("gpt-4o-mini", "denied"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        fixture.Primary.Calls.Count.ShouldBe(before, "a refused call must not reach the provider");
        (await fixture.UsageAsync(agent)).Total.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Call_AgentGrantedAnotherModelOfEndpoint_Forbidden403NamingTheGrant()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (_, token) = await fixture.AgentAsync($"{endpoint}/text-embedding-3-small");
        var before = fixture.Primary.Calls.Count;

        using var http = fixture.Client(token);
        using var response = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("fast", "model denied"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain($"{endpoint}/fast");
        fixture.Primary.Calls.Count.ShouldBe(before);
    }

    [Fact]
    public async Task ListModels_AgentGrantedOneModel_ListsOnlyThatOneWithoutCallingTheProvider()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (_, token) = await fixture.AgentAsync($"{endpoint}/fast");
        var before = fixture.Primary.Calls.Count;

        using var http = fixture.Client(token);
        var models = (await http.GetFromJsonAsync<JsonObject>($"/llm/{endpoint}/v1/models", TestTimeouts.Token()))!;

        models["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ShouldBe(["gpt-4o-mini", "fast"]);
        fixture.Primary.Calls.Count.ShouldBe(before);
    }

    [Fact]
    public async Task Call_OperatorToken_AnsweredAndRecordedUnderTheToken()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (id, token) = await CreateTokenAsync(BerthRoles.Operator);

        using var http = fixture.Client(token);
        using var response = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("fast", "operator"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Berth-Llm-Endpoint").ShouldBe([endpoint]);
        var report = await fixture.UsageAsync(agent: null);
        report.Groups.ShouldContain(g => g.Key == $"token:{id}" && g.Calls == 1 && g.PromptTokens == 21);
    }

    [Fact]
    public async Task Call_ViewerToken_Forbidden403()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (_, token) = await CreateTokenAsync(BerthRoles.Viewer);

        using var http = fixture.Client(token);
        using var response = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("fast", "viewer"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a call spends money, which a viewer may not");
    }

    [Fact]
    public async Task Call_NoToken_Unauthorized401()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        using var http = fixture.Server.CreateHttp(token: null);
        using var response = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("fast", "anonymous"), TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("POST", "v1/completions", "{}", HttpStatusCode.NotFound, "serves POST v1/chat/completions")]
    [InlineData("POST", "v1/chat/completions", "not json", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("POST", "v1/chat/completions", "[1]", HttpStatusCode.BadRequest, "must be a JSON object")]
    [InlineData("POST", "v1/chat/completions", "{\"messages\":[]}", HttpStatusCode.BadRequest, "names no model")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"gpt-5\"}", HttpStatusCode.NotFound, "does not offer model 'gpt-5'")]
    [InlineData("POST", "v1/chat/completions", "{\"model\":\"bad\\r\\nmodel\"}", HttpStatusCode.BadRequest, "\\\"model\\\" is not valid")]
    [InlineData("POST", "v1/chat/completions/more", "{\"model\":\"fast\"}", HttpStatusCode.NotFound, "is not served")]
    [InlineData("GET", "v1/chat/completions", "", HttpStatusCode.NotFound, "is not served")]
    public async Task Call_BadRequest_ClearProblemAndNothingSent(string method, string path, string body, HttpStatusCode expected, string says)
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var before = fixture.Primary.Calls.Count;
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/llm/{endpoint}/{path}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await fixture.Server.Http.SendAsync(request, TestTimeouts.Token());

        response.StatusCode.ShouldBe(expected);
        (await response.Content.ReadAsStringAsync()).ShouldContain(says);
        fixture.Primary.Calls.Count.ShouldBe(before);
    }

    [Fact]
    public async Task Call_UnknownEndpoint_NotFound404NamingIt()
    {
        using var response = await fixture.Server.Http.PostAsync("/llm/no-such-endpoint/v1/chat/completions", Chat("fast", "x"), TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("No model endpoint named 'no-such-endpoint'");
    }

    internal static StringContent Chat(string model, string text) => new(
        new JsonObject { ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }) }.ToJsonString(),
        Encoding.UTF8,
        "application/json");

    private async Task<(string Id, string Token)> CreateTokenAsync(string role)
    {
        using var response = await fixture.Server.Http.PostAsJsonAsync("/api/v1/tokens", new { role, description = "llm test" }, TestTimeouts.Token());
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>(TestTimeouts.Token()))!;
        return (created["record"]!["id"]!.GetValue<string>(), created["token"]!.GetValue<string>());
    }
}
