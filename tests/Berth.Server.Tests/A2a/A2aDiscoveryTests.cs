using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.A2a;

/// <summary>
/// A2A discovery through Berth with a real A2A agent (tests/agents/a2a-agent, on the official A2A JavaScript SDK's server)
/// run as a process agent, read and called by the SDK's own client.
/// </summary>
public sealed class A2aDiscoveryTests(A2aFixture fixture) : IClassFixture<A2aFixture>
{
    private const string WellKnown = "/.well-known/agent-card.json";

    private TestServer Server => fixture.Server;

    private string ProxyBase(string agent) => $"{Server.Server.Address.GetLeftPart(UriPartial.Authority)}/agents/{agent}";

    [Fact]
    public async Task GetCard_ThroughTheProxy_PointsTheAgentsInterfacesAtBerth()
    {
        using var operatorHttp = Server.CreateHttp((await TokenRequests.CreateAsync(Server, "operator")).Token);

        var card = await CardAsync(operatorHttp, $"/agents/{fixture.Agent}{WellKnown}");

        card["supportedInterfaces"]![0]!["url"]!.GetValue<string>().ShouldBe($"{ProxyBase(fixture.Agent)}/a2a/jsonrpc");
        card["provider"]!["url"]!.GetValue<string>().ShouldBe("https://example.com/berth-tests", "the provider's site is not the agent's endpoint");
        card["name"]!.GetValue<string>().ShouldBe("Echo Agent");
    }

    [Fact]
    public async Task GetCard_PathTheSpecDoesNotDeclare_IsForwardedUntouched()
    {
        var card = await CardAsync(Server.Http, $"/agents/{fixture.Broken}{WellKnown}");

        card["supportedInterfaces"]![0]!["url"]!.GetValue<string>().ShouldStartWith("http://127.0.0.1:",
            Case.Sensitive, "only the card path the spec names is rewritten; any other path is the agent's own business");
    }

    [Fact]
    public async Task GetCard_DeclaredPathTheAgentDoesNotServe_IsABadGatewayNamingTheAnswer()
    {
        using var response = await Server.Http.GetAsync($"/agents/{fixture.Broken}/missing/card.json", TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway, body);
        body.ShouldContain("urn:berth:problem:bad-gateway");
        body.ShouldContain("answered 404");
    }

    [Fact]
    public async Task ListAgentCards_Viewer_ListsEachA2aAgentWithItsSkillsAsCapabilities()
    {
        using var viewer = Server.CreateHttp((await TokenRequests.CreateAsync(Server, "viewer")).Token);

        var cards = await Eventually.MatchAsync(
            async token => (await viewer.GetFromJsonAsync<List<AgentCardView>>("/api/v1/agent-cards", BerthJson.Options, token))!,
            list => list.Any(c => c.Agent == fixture.Agent && c.Card is not null),
            list => $"no card for {fixture.Agent} in {string.Join(", ", list?.Select(c => $"{c.Agent}: {c.Error}") ?? [])}");

        var good = cards.Single(c => c.Agent == fixture.Agent);
        good.CardUrl.ShouldBe($"{ProxyBase(fixture.Agent)}{WellKnown}");
        good.Card!["supportedInterfaces"]![0]!["url"]!.GetValue<string>().ShouldBe($"{ProxyBase(fixture.Agent)}/a2a/jsonrpc");
        good.Skills.ShouldBe(["echo", "Say-Hello"], "skill ids become capability names: 'Say Hello!' is not one as it is");
        good.Error.ShouldBeNull();
        var broken = cards.Single(c => c.Agent == fixture.Broken);
        broken.Card.ShouldBeNull();
        broken.Skills.ShouldBeEmpty();
        broken.Error.ShouldNotBeNull().ShouldContain("404");
    }

    [Fact]
    public async Task Capabilities_A2aAgent_ItsSkillsAreCapabilitiesRoutedToIt()
    {
        using var viewer = Server.CreateHttp((await TokenRequests.CreateAsync(Server, "viewer")).Token);

        var detail = await Eventually.MatchAsync(
            async token => (await viewer.GetFromJsonAsync<CapabilityDetail>("/api/v1/capabilities/Say-Hello", BerthJson.Options, token))!,
            d => d.Providers.Any(p => p.Name == fixture.Agent),
            d => $"{fixture.Agent} does not provide Say-Hello: {string.Join(", ", d?.Providers.Select(p => p.Provider) ?? [])}");
        using var routed = await Server.Http.GetAsync($"/capabilities/Say-Hello{WellKnown}", TestTimeouts.Token());
        var card = await routed.Content.ReadAsStringAsync(TestTimeouts.Token());

        var provider = detail.Providers.Single(p => p.Name == fixture.Agent);
        provider.Kind.ShouldBe("agent");
        provider.Description.ShouldBe("A2A skill from the agent's card");
        routed.StatusCode.ShouldBe(HttpStatusCode.OK, card);
        routed.Headers.GetValues("Berth-Provider").ShouldBe([$"agent:{fixture.Agent}"]);
    }

    [Fact]
    public async Task SendMessage_OfficialSdkClientDiscoveringThroughBerth_GetsTheEchoThroughTheProxy()
    {
        var token = (await TokenRequests.CreateAsync(Server, "operator")).Token;
        await CardAsync(Server.Http, $"/agents/{fixture.Agent}{WellKnown}");
        var text = $"hello {Guid.NewGuid():N}";

        var run = await McpJsProcess.RunAsync(
            A2aJs.Node, A2aJs.Directory, ["client.mjs", $"{ProxyBase(fixture.Agent)}{WellKnown}", text],
            new Dictionary<string, string> { ["BERTH_TOKEN"] = token }, TestTimeouts.Token(TestTimeouts.Slow));

        run.ExitCode.ShouldBe(0, run.ToString());
        var answer = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        answer["reply"]!.GetValue<string>().ShouldBe($"echo: {text}");
        answer["card"]!["supportedInterfaces"]![0]!["url"]!.GetValue<string>().ShouldStartWith(ProxyBase(fixture.Agent), Case.Sensitive, "the SDK resolved the card Berth rewrote");
        var journal = await Server.Http.GetFromJsonAsync<List<RequestView>>($"/api/v1/requests?agent={fixture.Agent}", BerthJson.Options, TestTimeouts.Token());
        journal.ShouldNotBeNull().ShouldContain(r => r.Method == "POST" && r.Target == "/a2a/jsonrpc", "the A2A call went through Berth's proxy, which stored it");
    }

    [Fact]
    public async Task SendMessage_WithoutToken_IsRefusedBeforeReachingTheAgent()
    {
        var run = await McpJsProcess.RunAsync(
            A2aJs.Node, A2aJs.Directory, ["client.mjs", $"{ProxyBase(fixture.Agent)}{WellKnown}", "anyone?"], null, TestTimeouts.Token(TestTimeouts.Slow));

        run.ExitCode.ShouldNotBe(0, run.ToString());
        run.Stderr.ShouldContain("401");
    }

    /// <summary>The card at <paramref name="path"/>, once the agent's route is published (a moment after "running").</summary>
    private static async Task<JsonObject> CardAsync(HttpClient http, string path) =>
        await Eventually.MatchAsync(
            async token =>
            {
                using var response = await http.GetAsync(path, token);
                return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(token))!.AsObject() : null;
            },
            card => card is not null,
            _ => $"GET {path} did not answer a card") ?? throw new InvalidOperationException("unreachable");
}
