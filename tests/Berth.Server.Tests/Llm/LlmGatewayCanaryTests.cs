using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using static Berth.Server.Tests.Llm.LlmGatewayAccessTests;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// The provider key is a canary: it reaches the provider, and nothing else, not the agents that call through the gateway
/// (their environment), not any API answer or answer header, not the server's log, not a byte of its data directory.
/// </summary>
public sealed class LlmGatewayCanaryTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    [Fact]
    [SqliteOnly]
    public async Task ProviderKey_AfterCallsOfEveryKind_ReachesTheProviderAndNothingElse()
    {
        var openai = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var anthropic = await fixture.AnthropicEndpointAsync(fixture.Primary);
        var agent = $"env{Guid.NewGuid():N}"[..14];
        var spec = new AgentSpec
        {
            Name = agent,
            Process = new ProcessSpec { Command = "/bin/sh", Args = ["-c", "env; exit 1"] },
            Access = new AccessSpec { Models = [openai, anthropic] },
            Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(1) },
        };
        (await fixture.Server.ApplyAsync(spec)).EnsureSuccessStatusCode();

        var answers = new List<string>();
        async Task SendAsync(string path, HttpContent? body)
        {
            using var response = body is null ? await fixture.Server.Http.GetAsync(path, TestTimeouts.Token()) : await fixture.Server.Http.PostAsync(path, body, TestTimeouts.Token());
            answers.Add($"{path} -> {(int)response.StatusCode} {response.Headers} {response.Content.Headers}: {await response.Content.ReadAsStringAsync()}");
        }

        await SendAsync($"/llm/{openai}/v1/chat/completions", Chat("fast", "canary"));
        await SendAsync($"/llm/{openai}/v1/models", null);
        await SendAsync($"/llm/{anthropic}/v1/messages", new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"messages":[]}""", Encoding.UTF8, "application/json"));
        fixture.Primary.Answer = System.Net.HttpStatusCode.InternalServerError;
        try
        {
            await SendAsync($"/llm/{openai}/v1/chat/completions", Chat("fast", "failing"));
        }
        finally
        {
            fixture.Primary.Answer = null;
        }

        foreach (var path in new[] { "/api/v1/model-endpoints", $"/api/v1/model-endpoints/{openai}", "/api/v1/usage?since=1h&by=endpoint", "/api/v1/secrets" })
        {
            await SendAsync(path, null);
        }

        fixture.Primary.Calls.ShouldContain(c => c.Headers.GetValueOrDefault("authorization") == $"Bearer {fixture.Key}", "the byte search must find the key where it belongs");
        answers.ShouldAllBe(a => !a.Contains(fixture.Key, StringComparison.Ordinal));
        answers[0].ShouldContain(FakeReply, customMessage: "the call itself must have been answered");

        await fixture.Server.WaitForAsync(agent, v => v.Instances.Any(i => i.RestartCount >= 1));
        using var logs = await fixture.Server.Http.GetAsync($"/api/v1/agents/{agent}/logs?tail=200", TestTimeouts.Token());
        var environment = await logs.Content.ReadAsStringAsync();
        environment.ShouldContain("BERTH_TOKEN=", customMessage: "the agent's environment must have been printed");
        environment.ShouldNotContain(fixture.Key);

        fixture.Logs.Text.ShouldNotContain(fixture.Key);
        var key = Encoding.UTF8.GetBytes(fixture.Key);
        foreach (var file in Directory.EnumerateFiles(fixture.Server.DataDir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != Core.Storage.DataDirectoryLock.FileName))
        {
            if (await ReadIfPresentAsync(file) is { } bytes)
            {
                bytes.AsSpan().IndexOf(key).ShouldBe(-1, $"{file} holds the provider key");
            }
        }
    }

    private static string FakeReply => Testing.Llm.FakeModelProvider.Reply;

    private static async Task<byte[]?> ReadIfPresentAsync(string path)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, TestTimeouts.Token());
            return copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
