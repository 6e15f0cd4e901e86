using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Testing;
using Berth.Testing.Llm;

namespace Berth.Cli.Tests.Llm;

/// <summary><c>berth apply</c>, <c>berth model-endpoints</c>, <c>berth export</c> and <c>berth usage</c> against a real server.</summary>
[Collection(ServerGroup.Name)]
public sealed class ModelEndpointCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _name = $"me{Guid.NewGuid():N}"[..14];

    public void Dispose() => _directory.Dispose();

    private string Secret => _name + "-key";

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path, Stdin = stdin };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    private async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await Harness().RunAsync(args);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return result;
    }

    /// <summary>Stores the key as a secret and writes <c>endpoint.yaml</c>: an OpenAI endpoint with an alias, a price and a fallback.</summary>
    private async Task WriteEndpointAsync(string baseUrl = "https://api.openai.com/v1")
    {
        (await Harness(stdin: $"sk-{Guid.NewGuid():N}").RunAsync("secrets", "set", Secret)).ExitCode.ShouldBe(ExitCodes.Ok);
        _directory.Write("endpoint.yaml", $$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: {{_name}} }
            spec:
              provider: openai
              baseUrl: {{baseUrl}}
              apiKey: ${secret:{{Secret}}}
              models: [gpt-4o-mini, { name: gpt-4o, alias: smart }]
              prices:
                gpt-4o-mini: { input: 2.5, cachedInput: 1.25, output: 10 }
              fallbacks: [{{_name}}-backup]
            """);
    }

    private async Task RemoveAsync()
    {
        await Harness().RunAsync("model-endpoints", "rm", _name, "--yes");
        await Harness().RunAsync("secrets", "rm", Secret, "--yes");
    }

    [Fact]
    public async Task Apply_EndpointWithSecretKey_CreatedThenUnchanged_ListedAndGotWithTheReferenceNotTheKey()
    {
        try
        {
            await WriteEndpointAsync();

            var created = await RunOkAsync("apply", "-f", "endpoint.yaml");
            var again = await RunOkAsync("apply", "-f", "endpoint.yaml");
            var table = await RunOkAsync("model-endpoints", "ls");
            var json = await RunOkAsync("model-endpoints", "ls", "-o", "json");
            var got = await RunOkAsync("model-endpoints", "get", _name);

            created.Out.Trim().ShouldBe($"modelendpoint/{_name} created");
            again.Out.Trim().ShouldBe($"modelendpoint/{_name} unchanged");
            table.Out.ShouldContain("NAME");
            table.Out.ShouldContain("BASE URL");
            var row = table.Out.Split('\n').Single(line => line.StartsWith(_name + " ", StringComparison.Ordinal));
            row.ShouldMatch($@"^{_name} +openai +https://api\.openai\.com/v1 +gpt-4o-mini, gpt-4o \(smart\) +{_name}-backup *$");
            var view = JsonSerializer.Deserialize<List<ModelEndpointView>>(json.Out, BerthJson.Options)!.Single(e => e.Name == _name);
            view.Spec.ApiKey.ShouldBe($"${{secret:{Secret}}}");
            view.BasePath.ShouldBe($"/llm/{_name}/v1");
            got.Out.ShouldStartWith("apiVersion: berth/v1\nkind: ModelEndpoint\n");
            got.Out.ShouldContain($"apiKey: ${{secret:{Secret}}}", customMessage: "the key stays a secret reference");
            got.Err.ShouldContain($"{server.Url}/llm/{_name}/v1", customMessage: "the base URL a provider's SDK is given");
        }
        finally
        {
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task GetAndExport_Endpoint_ApplyTakesBothBackUnchanged()
    {
        try
        {
            await WriteEndpointAsync();
            await RunOkAsync("apply", "-f", "endpoint.yaml");

            var yaml = await RunOkAsync("model-endpoints", "get", _name);
            var json = await RunOkAsync("model-endpoints", "get", _name, "-o", "json");
            await RunOkAsync("export", $"modelendpoint/{_name}", "-o", "exported.yaml");
            _directory.Write("got.yaml", yaml.Out);
            _directory.Write("got.json", json.Out);

            var fromYaml = await RunOkAsync("apply", "-f", "got.yaml");
            var fromJson = await RunOkAsync("apply", "-f", "got.json");

            JsonNode.Parse(json.Out)!["kind"]!.GetValue<string>().ShouldBe("ModelEndpoint");
            (await File.ReadAllTextAsync(Path.Combine(_directory.Path, "exported.yaml"))).ShouldBe(yaml.Out, "get writes what export writes");
            fromYaml.Out.Trim().ShouldBe($"modelendpoint/{_name} unchanged");
            fromJson.Out.Trim().ShouldBe($"modelendpoint/{_name} unchanged");
        }
        finally
        {
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task Apply_EndpointAfterATopicInTheFile_AppliesTheEndpointFirst()
    {
        var topic = _name + "-t";
        try
        {
            await WriteEndpointAsync();
            var endpoint = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "endpoint.yaml"));
            _directory.Write("both.yaml", $"apiVersion: berth/v1\nkind: Topic\nmetadata: {{ name: {topic} }}\nspec:\n  ordering: key\n---\n{endpoint}");

            var applied = await RunOkAsync("apply", "-f", "both.yaml");

            applied.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([$"modelendpoint/{_name} created", $"topic/{topic} created"]);
        }
        finally
        {
            await Harness().RunAsync("topics", "rm", topic, "--yes");
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task Apply_KeyNamingAMissingSecret_ExitsInvalidNamingApiKey()
    {
        await WriteEndpointAsync();
        await Harness().RunAsync("secrets", "rm", Secret, "--yes");

        var result = await Harness().RunAsync("apply", "-f", "endpoint.yaml");
        var get = await Harness().RunAsync("model-endpoints", "get", _name);

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("spec.apiKey");
        result.Err.ShouldContain($"berth secrets set {Secret}");
        get.ExitCode.ShouldBe(ExitCodes.NotFound, "nothing was applied");
    }

    [Fact]
    public async Task Rm_NeedsYesWithoutAPrompt_ThenRemoves_ThenNotFound()
    {
        try
        {
            await WriteEndpointAsync();
            await RunOkAsync("apply", "-f", "endpoint.yaml");

            var unconfirmed = await Harness().RunAsync("model-endpoints", "rm", _name);
            var removed = await Harness().RunAsync("model-endpoints", "rm", _name, "--yes");
            var get = await Harness().RunAsync("model-endpoints", "get", _name);
            var again = await Harness().RunAsync("model-endpoints", "rm", _name, "--yes");

            unconfirmed.ExitCode.ShouldBe(ExitCodes.Usage, unconfirmed.ToString());
            unconfirmed.Err.ShouldContain("--yes");
            removed.ExitCode.ShouldBe(ExitCodes.Ok, removed.ToString());
            removed.Out.Trim().ShouldBe($"modelendpoint/{_name} removed");
            get.ExitCode.ShouldBe(ExitCodes.NotFound, get.ToString());
            again.ExitCode.ShouldBe(ExitCodes.NotFound, again.ToString());
        }
        finally
        {
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task Usage_AgentWithoutCalls_PrintsATotalRowOfZeros()
    {
        var result = await RunOkAsync("usage", _name);

        var rows = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        rows.ShouldBe([["AGENT", "CALLS", "PROMPT", "CACHED", "COMPLETION", "TOTAL", "COST"], ["TOTAL", "0", "0", "0", "0", "0", "0"]]);
        result.Err.ShouldContain("calls since");
    }

    [Fact]
    public async Task Usage_Json_IsTheReportTheApiAnswers()
    {
        var result = await RunOkAsync("usage", _name, "--by", "model", "--since", "1h", "-o", "json");

        var report = JsonSerializer.Deserialize<UsageReport>(result.Out, BerthJson.Options)!;
        report.Agent.ShouldBe(_name);
        report.By.ShouldBe(UsageGrouping.Model);
        report.Groups.ShouldBeEmpty();
        report.Total.Calls.ShouldBe(0);
        report.Since.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(-2), "--since 1h reached the server");
    }

    [Fact]
    public async Task Usage_ByEndpointAfterACall_ShowsItsTokensAndCost()
    {
        await using var provider = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        try
        {
            await WriteEndpointAsync(provider.OpenAIBaseUrl);
            await RunOkAsync("apply", "-f", "endpoint.yaml");
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
            var body = new JsonObject { ["model"] = "gpt-4o-mini", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) };
            using var answer = await http.PostAsJsonAsync($"/llm/{_name}/v1/chat/completions", body, TestTimeouts.Token());
            answer.IsSuccessStatusCode.ShouldBeTrue(await answer.Content.ReadAsStringAsync());

            // The call is settled with its tokens once the answer has been read; wait for that rather than for a time.
            await Eventually.TrueAsync(
                async ct => (await Harness().RunAsync(["usage", "--by", "endpoint", "-o", "json"], ct)).Out is var text && text.Length > 0 &&
                    JsonSerializer.Deserialize<UsageReport>(text, BerthJson.Options)!.Groups.Any(g => g.Key == _name && g.CompletionTokens > 0),
                "the call to be settled with its tokens");
            var result = await RunOkAsync("usage", "--by", "endpoint");

            var rows = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            rows[0].ShouldBe(["ENDPOINT", "CALLS", "PROMPT", "CACHED", "COMPLETION", "TOTAL", "COST"]);
            rows.ShouldContain(row => row.SequenceEqual(new[] { _name, "1", "21", "5", "8", "29", "0.000126" }), result.Out);
            rows[^1][0].ShouldBe("TOTAL");
        }
        finally
        {
            await RemoveAsync();
        }
    }
}
