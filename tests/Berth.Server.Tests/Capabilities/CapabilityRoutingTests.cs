using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Plugins;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Capabilities;

/// <summary>
/// The capability registry and routing on a real server with real process agents (busybox httpd) that declare one
/// capability: the registry's view, calls through <c>/capabilities/{name}/…</c>, failover, breakers, least-loaded choice,
/// agent steps by capability, and who may call.
/// </summary>
public sealed class CapabilityRoutingTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>, IAsyncLifetime
{
    private readonly TestServer _server = fixture.Server;
    private readonly CapabilityAgents _agents = new(2);

    private string A => _agents.Names[0];

    private string B => _agents.Names[1];

    public async Task InitializeAsync()
    {
        foreach (var name in _agents.Names)
        {
            using var applied = await _server.ApplyAsync(_agents.Spec(name));
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        foreach (var name in _agents.Names)
        {
            await _server.WaitRunningAsync(name);
        }

        // The registry reads declarations at most once a second: wait until it routes to both.
        await Eventually.TrueAsync(
            async ct =>
            {
                using var response = await _server.Http.GetAsync($"/api/v1/capabilities/{_agents.Capability}", ct);
                return response.IsSuccessStatusCode &&
                    (await response.Content.ReadFromJsonAsync<CapabilityDetail>(BerthJson.Options, ct))!.Providers.Count(p => p.Health == "healthy") == 2;
            },
            "both providers healthy in the registry");
    }

    public async Task DisposeAsync()
    {
        _agents.Release();
        foreach (var name in _agents.Names)
        {
            using var _ = await _server.Http.DeleteAsync($"/api/v1/agents/{name}?wait=0s", TestTimeouts.Token());
        }

        _agents.Dispose();
    }

    [Fact]
    public async Task Registry_TwoAgentsDeclareIt_ViewerSeesVersionsProvidersAndHealth()
    {
        var viewer = await TokenRequests.CreateAsync(_server, "viewer");
        using var http = _server.CreateHttp(viewer.Token);

        var all = await http.GetFromJsonAsync<List<CapabilityView>>("/api/v1/capabilities", BerthJson.Options, TestTimeouts.Token());
        var detail = await DescribeAsync(http);

        var listed = all!.Single(c => c.Name == _agents.Capability);
        listed.Versions.ShouldBe(["1.0.0", "1.1.0"]);
        (listed.Providers, listed.Healthy).ShouldBe((2, 2));
        detail.Providers.Select(p => (p.Kind, p.Provider, p.Version, p.Health, p.State, p.HealthyInstances, p.Breaker)).ShouldBe(
        [
            ("agent", $"agent:{A}", "1.0.0", "healthy", "running", 1, "closed"),
            ("agent", $"agent:{B}", "1.1.0", "healthy", "running", 1, "closed"),
        ]);
        detail.Providers[0].Description.ShouldBe("says who it is");
    }

    [Fact]
    public async Task Registry_InstalledPluginVersionsDeclareIt_EachVersionAProviderButCallsGoToAgents()
    {
        var plugins = _server.Server.Services.GetRequiredService<IPluginStore>();
        var id = $"pl{Guid.NewGuid():N}"[..12];
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            (await plugins.AddAsync(Plugin(id, version), TestTimeouts.Token())).ShouldBeTrue();
        }

        var detail = await Eventually.MatchAsync(
            ct => DescribeAsync(_server.Http), d => d.Providers.Count == 4, "the plugin versions listed beside the agents");
        using var call = await CallAsync(_server.Http, "who");

        detail.Providers.Where(p => p.Kind == "plugin").Select(p => (p.Provider, p.Version, p.Health, p.State, p.Description)).ShouldBe(
        [
            ($"plugin:{id}@1.0.0", "3.0.0", "available", (string?)null, "a plugin that says who it is"),
            ($"plugin:{id}@2.0.0", "3.0.0", "available", null, "a plugin that says who it is"),
        ]);
        call.Headers.GetValues("Berth-Provider").Single().ShouldStartWith("agent:");
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            await plugins.DeleteAsync(id, version, TestTimeouts.Token());
        }
    }

    [Fact]
    public async Task Describe_NothingDeclaresIt_404NamingTheCapability()
    {
        using var response = await _server.Http.GetAsync("/api/v1/capabilities/no-such-capability", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var problem = await response.Content.ReadAsStringAsync();
        problem.ShouldContain("'no-such-capability'");
        problem.ShouldContain("berth capabilities ls");
    }

    [Fact]
    public async Task Call_NothingDeclaresIt_404NamingIt()
    {
        using var response = await _server.Http.GetAsync("/capabilities/no-such-capability/cgi-bin/who", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("No agent declares capability 'no-such-capability'");
    }

    [Fact]
    public async Task Call_Healthy_ForwardsMethodPathAndBodyAndNamesTheProvider()
    {
        using var response = await _server.Http.PostAsync($"/capabilities/{_agents.Capability}/cgi-bin/who", new StringContent("hello"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var served = response.Headers.GetValues("Berth-Provider").Single();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        served.ShouldBe($"agent:{body["agent"]}");
        body["method"]!.GetValue<string>().ShouldBe("POST");
        body["body"]!.GetValue<string>().ShouldBe("hello");
    }

    [Fact]
    public async Task Call_OneProviderAnswers503_EveryCallServedByTheOther()
    {
        _agents.Break(A);

        for (var i = 0; i < 4; i++)
        {
            using var response = await CallAsync(_server.Http, "who");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.GetValues("Berth-Provider").Single().ShouldBe($"agent:{B}");
        }

        _agents.Calls(A).ShouldBeGreaterThan(0, "with equal load the broken provider is tried in its turn, and passed over");
        _agents.Calls(B).ShouldBe(4);
    }

    [Fact]
    public async Task Call_ProviderKeepsFailing_BreakerOpensAndItIsSkipped()
    {
        _agents.Break(A);

        // Default breaker: 5 transient failures in a row open it; with turns, A is tried on about half the calls.
        var detail = await Eventually.MatchAsync(
            async ct =>
            {
                using var response = await CallAsync(_server.Http, "who");
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                return await DescribeAsync(_server.Http);
            },
            d => d.Providers.Single(p => p.Name == A).Breaker == "open",
            "A's breaker to open");
        var callsAtA = _agents.Calls(A);

        for (var i = 0; i < 6; i++)
        {
            using var response = await CallAsync(_server.Http, "who");
            response.Headers.GetValues("Berth-Provider").Single().ShouldBe($"agent:{B}");
        }

        _agents.Calls(A).ShouldBe(callsAtA, "an open breaker means no call reaches A");
        detail.Providers.Single(p => p.Name == B).Breaker.ShouldBe("closed");
    }

    [Fact]
    public async Task Call_ProviderStopped_RegistryShowsItUnavailableAndCallsGoToTheOther()
    {
        using (var stopped = await _server.Http.PostAsync($"/api/v1/agents/{A}/stop", null, TestTimeouts.Token()))
        {
            stopped.IsSuccessStatusCode.ShouldBeTrue();
        }

        var detail = await Eventually.MatchAsync(
            ct => DescribeAsync(_server.Http), d => d.Providers.Single(p => p.Name == A).Health == "unavailable", "A shown unavailable");
        using var response = await CallAsync(_server.Http, "who");

        detail.Providers.Single(p => p.Name == A).HealthyInstances.ShouldBe(0);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Berth-Provider").Single().ShouldBe($"agent:{B}");
        var list = await _server.Http.GetFromJsonAsync<List<CapabilityView>>("/api/v1/capabilities", BerthJson.Options, TestTimeouts.Token());
        list!.Single(c => c.Name == _agents.Capability).Healthy.ShouldBe(1);
    }

    [Fact]
    public async Task Call_OneProviderBusy_NextCallGoesToTheIdleOne()
    {
        var held = CallAsync(_server.Http, "hold");
        var busy = await Eventually.MatchAsync(() => _agents.Names.FirstOrDefault(_agents.Holding), n => n is not null, "a provider to take the held call");
        var outstanding = (await DescribeAsync(_server.Http)).Providers.Single(p => p.Name == busy).Outstanding;

        using var next = await CallAsync(_server.Http, "who");
        _agents.Release();
        using var first = await held.WaitAsync(TestTimeouts.Slow);

        outstanding.ShouldBe(1);
        next.Headers.GetValues("Berth-Provider").Single().ShouldBe($"agent:{(busy == A ? B : A)}");
        first.Headers.GetValues("Berth-Provider").Single().ShouldBe($"agent:{busy}");
    }

    [Fact]
    public async Task Run_CapabilityStepWithABrokenProvider_SucceedsAndRecordsWhoServed()
    {
        _agents.Break(A);
        var workflow = new WorkflowSpec
        {
            Name = $"wf{Guid.NewGuid():N}"[..12],
            Steps = [new StepSpec { Id = "ask", Agent = new AgentStepSpec { Capability = _agents.Capability, Method = "GET", Path = "/cgi-bin/who" } }],
        };
        using (var applied = await _server.Http.PutAsJsonAsync($"/api/v1/workflows/{workflow.Name}", Core.Specs.SpecDocuments.ToDocument(workflow), BerthJson.Options, TestTimeouts.Token()))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        var views = new List<RunView>();
        for (var i = 0; i < 3; i++)
        {
            using var started = await _server.Http.PostAsJsonAsync($"/api/v1/workflows/{workflow.Name}/runs", new StartRunRequest(), BerthJson.Options, TestTimeouts.Token());
            var run = (await started.Content.ReadFromJsonAsync<RunView>(BerthJson.Options))!;
            views.Add(await Eventually.MatchAsync(
                async ct => (await _server.Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{run.Id}", BerthJson.Options, ct))!,
                r => r.State is RunState.Succeeded or RunState.Failed,
                $"run {run.Id} to end"));
        }

        views.ShouldAllBe(r => r.State == RunState.Succeeded);
        views.ShouldAllBe(r => r.Steps!.Single().Outputs!.Provider == $"agent:{B}");
        views.ShouldAllBe(r => r.Steps!.Single().Outputs!.Body!["agent"]!.GetValue<string>() == B);
        views.ShouldAllBe(r => r.Steps!.Single().Attempt == 1, "failover happens inside one attempt");
        var logs = new List<string>();
        foreach (var view in views)
        {
            var text = await _server.Http.GetStringAsync($"/api/v1/runs/{view.Id}/events?follow=false", TestTimeouts.Token());
            logs.Add(text);
        }

        logs.ShouldAllBe(l => l.Contains($"served by agent:{B}"));
        logs.ShouldContain(l => l.Contains($"agent:{A} answered 503"), "with turns, A is tried first in at least one of three runs");
    }

    [Fact]
    public async Task Call_Viewer_ForbiddenAsForTheAgentProxy()
    {
        var viewer = await TokenRequests.CreateAsync(_server, "viewer");
        using var http = _server.CreateHttp(viewer.Token);

        using var response = await CallAsync(http, "who");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _agents.Calls(A).ShouldBe(0);
        _agents.Calls(B).ShouldBe(0);
    }

    [Fact]
    public async Task Call_AgentToken_AllowedOnlyForCapabilitiesItsSpecNames()
    {
        var allowed = await AgentTokens.CreateAsync(_server, $"c{Guid.NewGuid():N}"[..12], null, [_agents.Capability]);
        var other = await AgentTokens.CreateAsync(_server, $"c{Guid.NewGuid():N}"[..12], B, ["something-else"]);
        using var allowedHttp = _server.CreateHttp(allowed);
        using var otherHttp = _server.CreateHttp(other);

        using var ok = await CallAsync(allowedHttp, "who");
        using var denied = await CallAsync(otherHttp, "who");

        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "access.agents naming a provider does not grant its capabilities");
    }

    [Fact]
    public async Task FindCapability_ViewerOverMcp_FindsItByPartOfItsNameWithEachProvidersHealth()
    {
        var viewer = await TokenRequests.CreateAsync(_server, "viewer");
        await using var client = await Mcp.McpClients.ConnectAsync(_server, viewer.Token);

        var tools = await client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
        var found = await client.CallToolAsync(
            "find_capability", new Dictionary<string, object?> { ["query"] = _agents.Capability[2..].ToUpperInvariant() }, cancellationToken: TestTimeouts.Token());
        var nothing = await client.CallToolAsync(
            "find_capability", new Dictionary<string, object?> { ["query"] = "no-such-capability-anywhere" }, cancellationToken: TestTimeouts.Token());

        tools.Select(t => t.Name).ShouldContain("find_capability");
        found.IsError.ShouldNotBe(true);
        var capability = found.StructuredContent!.Value.GetProperty("capabilities").EnumerateArray().ShouldHaveSingleItem();
        capability.GetProperty("name").GetString().ShouldBe(_agents.Capability);
        capability.GetProperty("providers").EnumerateArray()
            .Select(p => (p.GetProperty("provider").GetString(), p.GetProperty("version").GetString(), p.GetProperty("health").GetString()))
            .ShouldBe([($"agent:{A}", "1.0.0", "healthy"), ($"agent:{B}", "1.1.0", "healthy")]);
        nothing.StructuredContent!.Value.GetProperty("capabilities").GetArrayLength().ShouldBe(0);
    }

    private PluginRecord Plugin(string id, string version) => new()
    {
        Id = id,
        Version = version,
        Spec = new PluginSpec
        {
            Name = id,
            Version = version,
            Description = "a plugin that says who it is",
            Runtime = PluginRuntime.Process,
            Capabilities = [new DeclaredCapability { Name = _agents.Capability, Version = "3.0.0" }],
        },
        Directory = "/nonexistent",
        Digest = "sha256:0",
        Source = "test",
        InstalledAt = DateTimeOffset.UtcNow,
        InstalledBy = "test",
    };

    private Task<HttpResponseMessage> CallAsync(HttpClient http, string script) =>
        http.GetAsync($"/capabilities/{_agents.Capability}/cgi-bin/{script}", TestTimeouts.Token());

    private async Task<CapabilityDetail> DescribeAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<CapabilityDetail>($"/api/v1/capabilities/{_agents.Capability}", BerthJson.Options, TestTimeouts.Token()))!;
}
