using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Plugins;
using Berth.Server.Workflows.Resilience;
using Berth.Testing;
using Berth.Testing.Agents;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace Berth.Server.Tests.Workflows;

/// <summary>
/// Plugin steps on a real server with the text-analysis process plugin installed through the API (a real python3 instance
/// per version): by id and version range, by capability, outputs passed to later steps, failures named, and caching that
/// follows whether the plugin is deterministic.
/// </summary>
public sealed class PluginStepTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    private readonly WorkflowClient _workflows = new(fixture.Server.Http);
    private readonly string _workflow = $"w{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Run_StepByVersionRange_NewestVersionInTheRangeServesAndALaterStepReadsItsOutputs()
    {
        var id = await InstallAsync(version: "1.0.0");
        await InstallAsync(id, version: "1.2.0");
        await InstallAsync(id, version: "2.0.0");

        var run = await _workflows.RunAsync(_workflow, Workflow(
            Step("count", $$$"""{"id": "{{{id}}}@^1", "inputs": {"text": "hello plugin world"}}"""),
            Step("again", $$$"""{"id": "{{{id}}}@^1", "inputs": {"text": "${{ steps.count.outputs.wordCount }} words counted"}}""")));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var count = run.Steps!.Single(s => s.Id == "count");
        count.Kind.ShouldBe(StepKind.Plugin);
        count.Outputs!.Status.ShouldBe(200);
        count.Outputs.PluginOutputs!["wordCount"]!.GetValue<int>().ShouldBe(3);
        count.Outputs.Provider.ShouldBe($"plugin:{id}@1.2.0", "^1 takes the newest 1.x, not 2.0.0");
        var again = run.Steps!.Single(s => s.Id == "again").Outputs!.PluginOutputs!;
        again["characterCount"]!.GetValue<int>().ShouldBe("3 words counted".Length, "the later step got the first step's wordCount in its text");
        again["wordCount"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Run_StepByCapability_RoutedToThePluginThatDeclaresIt()
    {
        var capability = $"cap-{Guid.NewGuid():N}"[..16];
        var id = await InstallAsync(capability: capability);
        await WaitForProviderAsync(capability, $"plugin:{id}@1.0.0");

        var run = await _workflows.RunAsync(_workflow, Workflow(
            Step("count", $$$"""{"capability": "{{{capability}}}", "inputs": {"text": "a b c d"}}""")));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var count = run.Steps!.Single();
        count.Outputs!.PluginOutputs!["wordCount"]!.GetValue<int>().ShouldBe(4);
        count.Outputs.Provider.ShouldBe($"plugin:{id}@1.0.0");
        count.CacheKey.ShouldBeNull("a capability step is cached only with cache.enabled: true, whichever plugin serves it");
        (await ExplainAsync(run.Id)).Message.ShouldContain($"asks for capability {capability}, served by whichever plugin is healthy, so it is cached only with cache.enabled: true");
    }

    [Fact]
    public async Task Run_CapabilityWhoseFirstChoiceHasItsBreakerOpen_TheOtherPluginServes()
    {
        var capability = $"cap-{Guid.NewGuid():N}"[..16];
        var ids = new[] { await InstallAsync(capability: capability), await InstallAsync(capability: capability) }.Order(StringComparer.Ordinal).ToList();
        await WaitForProviderAsync(capability, $"plugin:{ids[0]}@1.0.0");
        await WaitForProviderAsync(capability, $"plugin:{ids[1]}@1.0.0");
        await OpenBreakerAsync($"plugin:{ids[0]}@1.0.0");

        var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"capability": "{{{capability}}}", "inputs": {"text": "a b"}}""")));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Steps!.Single().Outputs!.Provider.ShouldBe($"plugin:{ids[1]}@1.0.0", "equal in load and version, the first by name would serve, but its breaker is open");
    }

    [Fact]
    public async Task Run_CapabilityEveryProviderBreakerOpen_FailsAsCircuitOpenNamingEachAfterTryingThem()
    {
        var capability = $"cap-{Guid.NewGuid():N}"[..16];
        var a = await InstallAsync(capability: capability);
        var b = await InstallAsync(capability: capability);
        await WaitForProviderAsync(capability, $"plugin:{a}@1.0.0");
        await WaitForProviderAsync(capability, $"plugin:{b}@1.0.0");
        await OpenBreakerAsync($"plugin:{a}@1.0.0");
        await OpenBreakerAsync($"plugin:{b}@1.0.0");

        var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"capability": "{{{capability}}}", "inputs": {"text": "a b"}}""")));

        var failure = FailedStep(run);
        failure.Class.ShouldBe(ErrorClass.CircuitOpen);
        failure.Message.ShouldContain($"no plugin providing capability '{capability}' could take the call");
        failure.Message.ShouldContain($"plugin:{a}@1.0.0: ");
        failure.Message.ShouldContain($"plugin:{b}@1.0.0: ");
    }

    [Fact]
    public async Task Run_CapabilityOnlyAnAgentDeclares_FailsAsConfigNamingTheCapabilityAndTheAgent()
    {
        var capability = $"cap-{Guid.NewGuid():N}"[..16];
        var agent = $"a{Guid.NewGuid():N}"[..12];
        using var busybox = new BusyboxHttpAgent();
        using (var applied = await fixture.Server.ApplyAsync(busybox.Spec(agent) with { Capabilities = [new DeclaredCapability { Name = capability }] }))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        try
        {
            await WaitForProviderAsync(capability, $"agent:{agent}");

            var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"capability": "{{{capability}}}", "inputs": {"text": "x"}}""")));

            var failure = FailedStep(run);
            failure.Class.ShouldBe(ErrorClass.Config);
            failure.Message.ShouldContain($"capability '{capability}' is provided only by agents (agent:{agent})");
            failure.Message.ShouldContain("agent: {capability:");
        }
        finally
        {
            (await fixture.Server.Http.DeleteAsync($"/api/v1/agents/{agent}", TestTimeouts.Token())).Dispose();
        }
    }

    [Fact]
    public async Task Run_CapabilityNothingDeclares_FailsAsConfigNamingIt()
    {
        var capability = $"cap-{Guid.NewGuid():N}"[..16];

        var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"capability": "{{{capability}}}", "inputs": {"text": "x"}}""")));

        var failure = FailedStep(run);
        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Message.ShouldContain($"nothing provides capability '{capability}'");
    }

    [Fact]
    public async Task Run_PluginNotInstalled_FailedRunNamingIt()
    {
        var id = TestPlugins.NewId();

        var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"id": "{{{id}}}@^1", "inputs": {"text": "x"}}""")));

        run.State.ShouldBe(RunState.Failed);
        var failure = FailedStep(run);
        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Message.ShouldContain($"plugin '{id}' is not installed");
        run.Steps!.Single().Attempt.ShouldBe(0, "nothing was called");
    }

    [Fact]
    public async Task Run_NoInstalledVersionInTheRange_FailsNamingTheRangeAndTheInstalledVersions()
    {
        var id = await InstallAsync(version: "1.0.0");

        var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"id": "{{{id}}}@^2", "inputs": {"text": "x"}}""")));

        var failure = FailedStep(run);
        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Message.ShouldContain($"no installed version of plugin '{id}' matches '{id}@^2'; installed: 1.0.0");
    }

    [Fact]
    public async Task Run_InputsBreakTheSchema_FailedStepNamingTheField()
    {
        var id = await InstallAsync();

        var run = await _workflows.RunAsync(_workflow, Workflow(Step("count", $$$"""{"id": "{{{id}}}", "inputs": {"text": 42}}""")));

        var failure = FailedStep(run);
        failure.Class.ShouldBe(ErrorClass.User, "inputs that break the schema are the caller's mistake: retrying cannot help");
        failure.Message.ShouldContain("inputs.text");
        failure.Message.ShouldContain("(invocation ", Case.Sensitive, "the message names the recorded invocation to look up");
        run.Steps!.Single().Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task Run_DeterministicPluginTwice_SecondRunReusesTheOutputsWithoutCallingIt()
    {
        var id = await InstallAsync();
        var json = Workflow(Step("count", $$$"""{"id": "{{{id}}}@^1", "inputs": {"text": "same words twice"}}"""));

        var first = await _workflows.RunAsync(_workflow, json);
        var second = await _workflows.WaitAsync((await _workflows.StartAsync(_workflow)).Id);

        first.State.ShouldBe(RunState.Succeeded, first.Error);
        second.State.ShouldBe(RunState.Succeeded, second.Error);
        first.Steps!.Single().State.ShouldBe(StepState.Succeeded);
        var cached = second.Steps!.Single();
        cached.State.ShouldBe(StepState.Cached, "the plugin declares deterministic: true");
        cached.CacheKey.ShouldBe(first.Steps!.Single().CacheKey);
        cached.Outputs!.PluginOutputs!["wordCount"]!.GetValue<int>().ShouldBe(3);
        cached.Outputs.Provider.ShouldBe($"plugin:{id}@1.0.0");
        (await EventsAsync(second.Id)).ShouldNotContain(e => e.Type == "step.started", "a cache hit calls nothing");
        (await ExplainAsync(second.Id)).Hit.ShouldBeTrue();
    }

    [Fact]
    public async Task Run_PluginNotDeterministic_RunsEachTimeAndExplainSaysWhy()
    {
        var id = await InstallAsync(deterministic: false);
        var json = Workflow(Step("count", $$$"""{"id": "{{{id}}}", "inputs": {"text": "same words twice"}}"""));

        var first = await _workflows.RunAsync(_workflow, json);
        var second = await _workflows.WaitAsync((await _workflows.StartAsync(_workflow)).Id);

        first.State.ShouldBe(RunState.Succeeded, first.Error);
        second.State.ShouldBe(RunState.Succeeded, second.Error);
        second.Steps!.Single().State.ShouldBe(StepState.Succeeded, "a plugin that is not deterministic is called every time");
        second.Steps!.Single().CacheKey.ShouldBeNull();
        (await EventsAsync(second.Id)).Count(e => e.Type == "step.started").ShouldBe(1);
        var explained = await ExplainAsync(second.Id);
        explained.Hit.ShouldBeFalse();
        explained.Message.ShouldContain($"ran plugin:{id}@1.0.0, which does not declare deterministic: true");
    }

    [Fact]
    public async Task Run_DeterministicPluginWithCacheDisabled_RunsEachTime()
    {
        var id = await InstallAsync();
        var json = Workflow(Step("count", $$$"""{"id": "{{{id}}}", "inputs": {"text": "x y"}}""", cache: """{"enabled": false}"""));

        await _workflows.RunAsync(_workflow, json);
        var second = await _workflows.WaitAsync((await _workflows.StartAsync(_workflow)).Id);

        second.Steps!.Single().State.ShouldBe(StepState.Succeeded, "cache.enabled: false wins over deterministic: true");
        (await ExplainAsync(second.Id)).Message.ShouldContain("cache.enabled: false");
    }

    /// <summary>Installs a copy of the test plugin (a new id unless given) and returns its id.</summary>
    private async Task<string> InstallAsync(string? id = null, string version = "1.0.0", string? capability = null, bool deterministic = true)
    {
        id ??= TestPlugins.NewId();
        var folder = TestPlugins.Copy(id, version);
        try
        {
            var manifest = Path.Combine(folder, "plugin.yaml");
            var yaml = File.ReadAllText(manifest);
            if (capability is not null)
            {
                yaml = Replace(yaml, "capabilities: [count-words]", $"capabilities: [{capability}]");
            }

            if (!deterministic)
            {
                yaml = Replace(yaml, "deterministic: true", "deterministic: false");
            }

            File.WriteAllText(manifest, yaml);
            using var response = await fixture.PostAsync(TestPlugins.Pack(folder));
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return id;
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    /// <summary>Fails attempts through the provider's breaker (the one the invoker and routing read) until it opens.</summary>
    private async Task OpenBreakerAsync(string provider)
    {
        var breakers = fixture.Server.Server.Services.GetRequiredService<CircuitBreakers>();
        for (var i = 0; breakers.StateOf(provider) != CircuitState.Open; i++)
        {
            i.ShouldBeLessThan(100, $"{provider}'s breaker never opened");
            await Should.ThrowAsync<StepRunException>(breakers.For(provider).ExecuteAsync(
                _ => throw new StepRunException(ErrorClass.Transient, "failed on purpose to open the breaker"), TestTimeouts.Token()).AsTask());
        }
    }

    // The registry reads declarations at most once a second: a step routed before then would not see a new provider yet.
    private Task WaitForProviderAsync(string capability, string provider) => Eventually.TrueAsync(
        async ct =>
        {
            using var response = await fixture.Server.Http.GetAsync($"/api/v1/capabilities/{capability}", ct);
            return response.IsSuccessStatusCode &&
                (await response.Content.ReadFromJsonAsync<CapabilityDetail>(BerthJson.Options, ct))!.Providers.Any(p => p.Provider == provider);
        },
        $"{provider} listed as a provider of {capability}");

    private async Task<List<RunEvent>> EventsAsync(string runId)
    {
        var text = await fixture.Server.Http.GetStringAsync($"/api/v1/runs/{runId}/events?follow=false", TestTimeouts.Token());
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal)))
            .OfType<string>()
            .Select(line => System.Text.Json.JsonSerializer.Deserialize<RunEvent>(line["data: ".Length..], BerthJson.Options)!)
            .ToList();
    }

    private async Task<CacheExplanation> ExplainAsync(string runId) =>
        (await fixture.Server.Http.GetFromJsonAsync<CacheExplanation>($"/api/v1/runs/{runId}/steps/count/explain", BerthJson.Options, TestTimeouts.Token()))!;

    private static StepFailure FailedStep(RunView run)
    {
        run.State.ShouldBe(RunState.Failed);
        var step = run.Steps!.Single(s => s.Id == "count");
        step.State.ShouldBe(StepState.Failed);
        return step.Failure!;
    }

    private string Workflow(params string[] steps) => $"{{\"name\": \"{_workflow}\", \"steps\": [{string.Join(", ", steps)}]}}";

    private static string Step(string id, string plugin, string? cache = null) =>
        $"{{\"id\": \"{id}\", " + (cache is null ? "" : $"\"cache\": {cache}, ") + $"\"plugin\": {plugin}}}";

    private static string Replace(string text, string from, string to) =>
        text.Contains(from, StringComparison.Ordinal) ? text.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"the test plugin's manifest no longer says '{from}'");
}
