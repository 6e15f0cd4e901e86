using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Init;

/// <summary>Every generated agent deploys as a process agent on a real server, becomes healthy and answers through the proxy.</summary>
[Collection(ServerGroup.Name)]
public sealed class TemplateAgentTests(ServerFixture server)
{
    [Theory]
    [MemberData(nameof(LanguageRuntimes.Languages), MemberType = typeof(LanguageRuntimes))]
    public async Task Agent_AppliedWithNoChanges_BecomesHealthyAndAnswersThroughTheProxy(string language)
    {
        using var project = await InitProject.CreateAsync("agent", language);
        var cli = new CliHarness { CurrentDirectory = project.Folder, HangGuard = TimeSpan.FromMinutes(5) };
        cli.Environment["BERTH_URL"] = server.Url;
        cli.Environment["BERTH_TOKEN"] = server.AdminToken;
        try
        {
            // A .NET file-based app compiles at its first start as the agent's user, hence the longer wait.
            var applied = await cli.RunAsync(["apply", "-f", "agent.yaml", "--wait", "--timeout", "240s"], TestTimeouts.Token(TimeSpan.FromMinutes(5)));
            applied.ExitCode.ShouldBe(ExitCodes.Ok, applied.ToString());

            using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TestTimeouts.Quick };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
            using var response = await http.PostAsync($"agents/{project.Name}/invoke", Json("""{"text": "one two three"}"""), TestTimeouts.Token());
            var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());

            response.IsSuccessStatusCode.ShouldBeTrue(body);
            JsonNode.Parse(body)!["words"]!.GetValue<int>().ShouldBe(3, body);
        }
        finally
        {
            await cli.RunAsync("rm", project.Name, "--yes");
        }
    }

    [Theory]
    [MemberData(nameof(LanguageRuntimes.Languages), MemberType = typeof(LanguageRuntimes))]
    public async Task Agent_SameIdempotencyKeyTwice_WorkCounterMovesOnce(string language)
    {
        using var project = await InitProject.CreateAsync("agent", language);
        using var agent = await TemplateProcess.StartAsync(project, TestTimeouts.Token(TimeSpan.FromMinutes(4)));
        using var http = new HttpClient { BaseAddress = agent.Address, Timeout = TestTimeouts.Quick };
        var key = $"key-{Guid.NewGuid():N}";

        var before = await ExecutionsAsync(http);
        var first = await InvokeAsync(http, key);
        var second = await InvokeAsync(http, key);
        var after = await ExecutionsAsync(http);

        second.Body.ShouldBe(first.Body);
        second.Replayed.ShouldBeTrue("a repeat is answered from the record");
        first.Replayed.ShouldBeFalse();
        (after - before).ShouldBe(1, $"the work must run once for one key. Agent output:\n{agent.Output}");
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<(string Body, bool Replayed)> InvokeAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "invoke") { Content = Json("""{"text": "a b"}""") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request, TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return (body, response.Headers.Contains("Idempotent-Replay"));
    }

    private static async Task<int> ExecutionsAsync(HttpClient http) =>
        JsonNode.Parse(await http.GetStringAsync("health", TestTimeouts.Token()))!["executions"]!.GetValue<int>();
}
