using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Secrets;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Llm;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// One Berth server with its logs captured, two fake providers on loopback (a primary and a fallback), and a provider key
/// stored as a secret whose value is a canary that must reach the providers and nothing else.
/// </summary>
public sealed class LlmGatewayFixture : IAsyncLifetime
{
    public const string KeySecret = "llm.provider.key";

    public string Key { get; } = $"sk-canary-{Guid.NewGuid():N}";

    internal TestServer Server { get; private set; } = null!;

    internal LogCapture Logs { get; private set; } = null!;

    public FakeModelProvider Primary { get; private set; } = null!;

    public FakeModelProvider Fallback { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Server, Logs) = await SecretsTestServer.StartAsync();
        Primary = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        Fallback = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Key + "\n"));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        (await Server.Http.PutAsync($"/api/v1/secrets/{KeySecret}", content, TestTimeouts.Token())).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Primary.DisposeAsync();
        await Fallback.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Applies a kind: ModelEndpoint document; the answer is returned undisposed for the caller to check.</summary>
    internal async Task<HttpResponseMessage> ApplyAsync(string name, string yaml)
    {
        var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        return await Server.Http.PutAsync($"/api/v1/model-endpoints/{name}", content, TestTimeouts.Token());
    }

    /// <summary>Applies an OpenAI endpoint on <paramref name="provider"/> offering gpt-4o-mini (alias fast) and text-embedding-3-small, priced.</summary>
    internal async Task<string> OpenAIEndpointAsync(FakeModelProvider provider, string extra = "")
    {
        var name = $"oa-{Guid.NewGuid():N}"[..16];
        using var applied = await ApplyAsync(name, $$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: {{name}} }
            spec:
              provider: openai
              baseUrl: {{provider.OpenAIBaseUrl}}
              apiKey: ${secret:{{KeySecret}}}
              models: [{ name: gpt-4o-mini, alias: fast }, text-embedding-3-small]
              prices:
                gpt-4o-mini: { input: 2.5, cachedInput: 1.25, output: 10 }
                text-embedding-3-small: { input: 0.02 }
              retry: { maxAttempts: 2, initialDelay: 0s }
            {{extra}}
            """);
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>Applies an Anthropic endpoint on <paramref name="provider"/> offering claude-sonnet-4-5, priced.</summary>
    internal async Task<string> AnthropicEndpointAsync(FakeModelProvider provider)
    {
        var name = $"an-{Guid.NewGuid():N}"[..16];
        using var applied = await ApplyAsync(name, $$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: {{name}} }
            spec:
              provider: anthropic
              baseUrl: {{provider.AnthropicBaseUrl}}
              apiKey: ${secret:{{KeySecret}}}
              models: [claude-sonnet-4-5]
              prices:
                claude-sonnet-4-5: { input: 3, cachedInput: 0.3, output: 15 }
            """);
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>A token of a new agent whose spec grants <paramref name="models"/>, and the agent's name.</summary>
    internal async Task<(string Agent, string Token)> AgentAsync(params string[] models)
    {
        var agent = $"ag{Guid.NewGuid():N}"[..14];
        return (agent, await AgentTokens.CreateAsync(Server, agent, mayCall: null, mayUseModels: models));
    }

    /// <summary>
    /// What the agent's calls used, as <c>GET /api/v1/usage?agent=</c> reports it once none is in flight (a caller has its answer
    /// a moment before its call is settled).
    /// </summary>
    internal Task<UsageReport> UsageAsync(string? agent, string by = "agent") => Eventually.MatchAsync(
        async ct => (await Server.Http.GetFromJsonAsync<UsageReport>($"/api/v1/usage?since=1h&by={by}{(agent is null ? "" : $"&agent={agent}")}", BerthJson.Options, ct))!,
        report => report.Total.InFlight == 0,
        last => $"calls stayed in flight: {last?.Total.InFlight}");

    /// <summary>An HTTP client for the gateway with <paramref name="token"/>.</summary>
    internal HttpClient Client(string token) => Server.CreateHttp(token);
}
