using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Init;

/// <summary>Every generated plugin passes <c>berth plugins check</c> on a real server as written, and runs an invocation once.</summary>
[Collection(ServerGroup.Name)]
public sealed class TemplatePluginTests(ServerFixture server)
{
    [Theory]
    [MemberData(nameof(LanguageRuntimes.Languages), MemberType = typeof(LanguageRuntimes))]
    public async Task Plugin_AsGenerated_PassesBerthPluginsCheck(string language)
    {
        using var project = await InitProject.CreateAsync("plugin", language);
        // A .NET file-based app compiles at its first start as the plugin's user, hence the longer wait.
        var cli = new CliHarness { CurrentDirectory = project.ParentFolder, HangGuard = TimeSpan.FromMinutes(6) };
        cli.Environment["BERTH_URL"] = server.Url;
        cli.Environment["BERTH_TOKEN"] = server.AdminToken;

        var checkedPlugin = await cli.RunAsync(["plugins", "check", project.Name, "--timeout", "300s"], TestTimeouts.Token(TimeSpan.FromMinutes(6)));

        checkedPlugin.ExitCode.ShouldBe(ExitCodes.Ok, $"the {language} plugin fails the contract check:\n{checkedPlugin}");
        checkedPlugin.Out.ShouldContain($"{project.Name}@0.1.0 keeps the plugin contract");
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
