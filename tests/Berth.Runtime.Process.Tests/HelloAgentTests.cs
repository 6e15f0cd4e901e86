using System.Net.Http.Json;
using System.Text.Json;
using Berth.Core.Specs;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

public sealed class HelloAgentTests(HelloAgentFixture helloAgent) : ProcessRuntimeTestContext, IClassFixture<HelloAgentFixture>
{
    [Fact]
    public async Task StartAsync_HelloAgent_AnswersHealthAndGreetOnItsEndpoint()
    {
        var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = Repository.Dotnet, Args = [helloAgent.AgentDll] } };
        var started = await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());
        using var http = new HttpClient { BaseAddress = started.Endpoint, Timeout = TestTimeouts.Quick };

        await WaitUntilHealthyAsync(http);
        using var greet = await http.PostAsJsonAsync("greet", new { name = "ada" }, TestTimeouts.Token());

        greet.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await greet.Content.ReadAsStringAsync(TestTimeouts.Token()));
        body.RootElement.GetProperty("message").GetString().ShouldBe($"Hello, ada! This is {spec.Name}, answering through Berth.");
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "greeted ada (request 1)");
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http)
    {
        var body = await Eventually.MatchAsync(
            async token =>
            {
                try
                {
                    using var health = await http.GetAsync("health", token);
                    return health.IsSuccessStatusCode ? await health.Content.ReadAsStringAsync(token) : null;
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            },
            answer => answer is not null,
            "the agent's /health to answer");
        body.ShouldNotBeNull().ShouldContain("ok");
    }
}
