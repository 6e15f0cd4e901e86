using System.Text;
using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Cli.Tests.Init;

/// <summary>Every generated plugin, started as a process the way Berth starts it, keeps the contract and runs an invocation once.</summary>
public sealed class TemplatePluginTests
{
    [Theory]
    [MemberData(nameof(LanguageRuntimes.Languages), MemberType = typeof(LanguageRuntimes))]
    public async Task Plugin_StartedAsAProcess_PassesTheContractCheck(string language)
    {
        using var project = await InitProject.CreateAsync("plugin", language);
        using var server = await TemplateProcess.StartAsync(project, TestTimeouts.Token(TimeSpan.FromMinutes(4)));

        var problems = await PluginContractCheck.RunAsync(Path.Combine(project.Folder, "plugin.yaml"), server.Address, TestTimeouts.Token());

        problems.ShouldBeEmpty($"the {language} plugin breaks the contract. Its output:\n{server.Output}");
    }

    [Theory]
    [MemberData(nameof(LanguageRuntimes.Languages), MemberType = typeof(LanguageRuntimes))]
    public async Task Plugin_SameInvocationIdTwice_ExecutesOnceAndAnswersTheSame(string language)
    {
        using var project = await InitProject.CreateAsync("plugin", language);
        using var server = await TemplateProcess.StartAsync(project, TestTimeouts.Token(TimeSpan.FromMinutes(4)));
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TestTimeouts.Quick };
        var invocation = $"inv-{Guid.NewGuid():N}";

        var before = await ExecutionsAsync(http);
        var first = await ExecuteAsync(http, "one two", invocation);
        var second = await ExecuteAsync(http, "one two", invocation);
        var other = await ExecuteAsync(http, "one two", invocation + "-other");
        var after = await ExecutionsAsync(http);

        second.ShouldBe(first);
        other.ShouldBe(first);
        (after - before).ShouldBe(2, "the repeated invocation id must not run again; a new id must");
    }

    private static async Task<string> ExecuteAsync(HttpClient http, string text, string invocationId)
    {
        var body = new JsonObject { ["inputs"] = new JsonObject { ["text"] = text }, ["context"] = new JsonObject { ["invocationId"] = invocationId } };
        using var response = await http.PostAsync("execute", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestTimeouts.Token());
        var answer = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(answer);
        return JsonNode.Parse(answer)!.ToJsonString();
    }

    private static async Task<int> ExecutionsAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("metrics", TestTimeouts.Token());
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("plugin_executions_total ", StringComparison.Ordinal));
        return int.Parse(line.ShouldNotBeNull(metrics).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
