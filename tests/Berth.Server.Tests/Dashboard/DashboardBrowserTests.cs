using System.Net;
using System.Text.Json.Nodes;
using Berth.Server.Tests.Messaging;
using Berth.Server.Tests.Plugins;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Workflows;
using Berth.Testing;
using Microsoft.Playwright;

namespace Berth.Server.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium against a real server with a real agent: each page renders real data, live updates
/// arrive, and nothing is logged to the console. Screenshots go to TestResults/dashboard.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Unsigned_AnyPage_ShowsSignInAndCallsNoApi()
    {
        await using var session = await DashboardSession.OpenAsync(fixture, width: 390, height: 844);

        await session.Page.GotoAsync("/ui#/requests/dead-lettered");

        await Assertions.Expect(session.Page.Locator("#token")).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator("#nav")).ToBeHiddenAsync();
        session.Urls.Where(u => u.Contains("/api/", StringComparison.Ordinal)).ShouldBeEmpty("no API call before sign-in");
        session.Errors.ShouldBeEmpty("an unsigned page logs no errors");
        await session.ScreenshotAsync("sign-in-390");
    }

    [Fact]
    public async Task SignIn_Token_KeptInSessionStorageOnly()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);

        await session.SignInAsync(fixture.ViewerToken);

        (await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('berth.token')")).ShouldBe(fixture.ViewerToken);
        (await session.Page.EvaluateAsync<int>("() => localStorage.length")).ShouldBe(0);
        (await session.Page.EvaluateAsync<string>("() => document.cookie")).ShouldBeEmpty();
        session.Page.Url.ShouldNotContain(fixture.ViewerToken);
        await session.Page.Locator("#sign-out").ClickAsync();
        await Assertions.Expect(session.Page.Locator("#token")).ToBeVisibleAsync();
        (await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('berth.token')")).ShouldBeNull();
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task SignedIn_TokenRevoked_SignInShownAgainWithTheReason()
    {
        var created = await TokenRequests.CreateAsync(fixture.Server, "viewer", description: "revoked by the dashboard test");
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync(created.Token);
        await Assertions.Expect(session.Page.Locator("#agents tbody tr", new() { HasText = fixture.AgentName })).ToBeVisibleAsync();

        await TokenRequests.RevokeAsync(fixture.Server, created.Record.Id);

        await Assertions.Expect(session.Page.Locator("#sign-in .status.error")).ToContainTextAsync("refused the token");
        (await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('berth.token')")).ShouldBeNull();
        session.Errors.ShouldAllBe(e => e.Contains("401", StringComparison.Ordinal), "the one error is the browser's note of the refused call");
    }

    [Fact]
    public async Task Overview_Phone_ShowsAgentHealthAndFitsTheScreen()
    {
        await using var session = await DashboardSession.OpenAsync(fixture, width: 390, height: 844);

        await session.SignInAsync(fixture.ViewerToken);

        var row = session.Page.Locator("#agents tbody tr", new() { HasText = fixture.AgentName });
        await Assertions.Expect(row.Locator(".badge.state-running")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1/1");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(—|\d+\.\d\d/s)$"), new() { UseInnerText = true });
        (await session.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "the page fits a phone's width");
        await session.ScreenshotAsync("overview-390");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Agent_NewLogLineAndRequest_ArriveLiveAndFilter()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync(fixture.ViewerToken, $"#/agents/{fixture.AgentName}");
        await Assertions.Expect(session.Page.Locator("#instances .badge.state-running")).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator(".status", new() { HasText = "Following live." })).ToBeVisibleAsync();
        var marker = $"m{Guid.NewGuid():N}"[..10];

        using var answer = await fixture.Server.Http.GetAsync($"/agents/{fixture.AgentName}/cgi-bin/echo?{marker}", TestTimeouts.Token());

        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var line = session.Page.Locator("#logs .line", new() { HasText = $"served GET /cgi-bin/echo?{marker}" });
        await Assertions.Expect(line).ToHaveCountAsync(1);
        await Assertions.Expect(session.Page.Locator("#agent-requests tbody tr", new() { HasText = marker })).ToBeVisibleAsync();
        await session.Page.Locator("#log-search").FillAsync(marker);
        await Assertions.Expect(session.Page.Locator("#logs .line")).ToHaveCountAsync(1);
        await session.Page.Locator("#log-source").SelectOptionAsync("stdout");
        await Assertions.Expect(session.Page.Locator("#logs .line")).ToHaveCountAsync(0);
        await session.Page.Locator("#log-source").SelectOptionAsync("");
        await session.Page.Locator("#log-search").FillAsync("");
        await session.ScreenshotAsync("agent");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Agent_StatsSamples_DrawnAsSparklinesKeptInThePage()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);

        await session.SignInAsync(fixture.ViewerToken, $"#/agents/{fixture.AgentName}");

        // The server's own stats route, sampling the running busybox process: the page polls it and keeps the samples, so the
        // line gains a point each poll. A process agent has no memory limit and no network figures, shown as such.
        var row = session.Page.Locator("#instances tbody tr");
        await Assertions.Expect(row.Locator("polyline").First).ToHaveAttributeAsync("points", new System.Text.RegularExpressions.Regex(@"^(\S+ ){2,}\S+$"));
        await Assertions.Expect(row).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+(\.\d+)? (KiB|MiB)"));
        await Assertions.Expect(row).Not.ToContainTextAsync("↓");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Run_StepsTurnGreenOverTheEventStream()
    {
        var workflows = new WorkflowClient(fixture.Server.Http);
        var name = $"dash-{Guid.NewGuid():N}"[..14];
        var agent = fixture.AgentName;
        await workflows.ApplyAsync(name, $$$"""
            {"name": "{{{name}}}", "steps": [
              {"id": "fetch", "agent": {"name": "{{{agent}}}", "method": "GET", "path": "/cgi-bin/echo?fetch"}},
              {"id": "index", "agent": {"name": "{{{agent}}}", "method": "GET", "path": "/cgi-bin/echo?index"}},
              {"id": "approve", "dependsOn": ["fetch", "index"], "agent": {"name": "{{{agent}}}", "method": "GET", "path": "/cgi-bin/gate"}},
              {"id": "publish", "dependsOn": ["approve"], "agent": {"name": "{{{agent}}}", "method": "GET", "path": "/cgi-bin/echo?publish"}}
            ]}
            """);
        var run = await workflows.StartAsync(name);
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync(fixture.ViewerToken, $"#/runs/{run.Id}");
        var approve = session.Page.Locator("#dag .node[data-step=approve]");
        await Assertions.Expect(approve).ToHaveAttributeAsync("data-state", "running");
        await Assertions.Expect(session.Page.Locator("#dag .node[data-step=publish]")).ToHaveAttributeAsync("data-state", "pending");

        await File.WriteAllTextAsync(fixture.GateFile, "open");

        foreach (var step in new[] { "fetch", "index", "approve", "publish" })
        {
            await Assertions.Expect(session.Page.Locator($"#dag .node[data-step={step}]")).ToHaveAttributeAsync("data-state", "succeeded");
        }

        await Assertions.Expect(session.Page.Locator("#run-state .badge")).ToHaveTextAsync("succeeded");
        (await session.Page.Locator("#dag .edges path").CountAsync()).ShouldBe(3);
        await approve.ClickAsync();
        await Assertions.Expect(session.Page.Locator("#step-detail .outputs")).ToContainTextAsync("opened");
        await session.ScreenshotAsync("run-dag");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Workflows_RunsListed_ExportAsJsonAndCsv()
    {
        var workflows = new WorkflowClient(fixture.Server.Http);
        var name = $"exp-{Guid.NewGuid():N}"[..14];
        var run = await workflows.RunAsync(name, $$$"""{"name": "{{{name}}}", "steps": [{"id": "only", "agent": {"name": "{{{fixture.AgentName}}}", "path": "/cgi-bin/echo"}}]}""");
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync(fixture.ViewerToken, "#/workflows");
        await Assertions.Expect(session.Page.Locator("#workflows tbody tr", new() { HasText = name })).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator("#runs tbody tr", new() { HasText = run.Id })).ToBeVisibleAsync();

        var json = await DownloadAsync(session.Page, "json");
        var csv = await DownloadAsync(session.Page, "csv");

        JsonNode.Parse(json)!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ShouldContain(run.Id);
        csv.Split("\r\n")[0].ShouldStartWith("id,workflow,state");
        csv.ShouldContain($"{run.Id},{name},succeeded");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Requests_DeadLetters_ShowTheirLastError()
    {
        using var answer = await fixture.Server.Http.PostAsync($"/agents/{fixture.AgentName}/cgi-bin/down", new StringContent("job"), TestTimeouts.Token());
        answer.StatusCode.ShouldBe(HttpStatusCode.BadGateway, "two attempts answered 503: a dead letter");
        var marker = $"ok{Guid.NewGuid():N}"[..10];
        using var completed = await fixture.Server.Http.GetAsync($"/agents/{fixture.AgentName}/cgi-bin/echo?{marker}", TestTimeouts.Token());
        completed.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var session = await DashboardSession.OpenAsync(fixture);

        await session.SignInAsync(fixture.ViewerToken, "#/requests/dead-lettered");

        var row = session.Page.Locator("#requests tbody tr", new() { HasText = "/cgi-bin/down" });
        await Assertions.Expect(row.Locator(".badge.state-dead-lettered")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("td.error-text")).Not.ToBeEmptyAsync();
        await Assertions.Expect(session.Page.Locator("#request-state")).ToHaveValueAsync("dead-lettered");
        await session.ScreenshotAsync("requests-dead-letters");
        await Assertions.Expect(session.Page.Locator("#requests tbody tr", new() { HasText = marker })).ToHaveCountAsync(0);
        await session.Page.Locator("#request-state").SelectOptionAsync("completed");
        await Assertions.Expect(session.Page.Locator("#requests tbody tr", new() { HasText = marker })).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator("#requests tbody tr", new() { HasText = "/cgi-bin/down" })).ToHaveCountAsync(0);
        session.ShouldBeClean(fixture.ViewerToken);
    }

    [Fact]
    public async Task Plugins_InstalledPluginAndItsCapabilities_Listed()
    {
        var id = TestPlugins.NewId();
        var folder = TestPlugins.Copy(id);
        try
        {
            using var content = new ByteArrayContent(TestPlugins.Pack(folder));
            content.Headers.ContentType = new("application/gzip");
            using var installed = await fixture.Server.Http.PostAsync("/api/v1/plugins?source=dashboard-test", content, TestTimeouts.Token());
            installed.StatusCode.ShouldBe(HttpStatusCode.Created, await installed.Content.ReadAsStringAsync());
            await using var session = await DashboardSession.OpenAsync(fixture);

            await session.SignInAsync(fixture.ViewerToken, "#/plugins");

            await Assertions.Expect(session.Page.Locator("#plugins tbody tr", new() { HasText = id })).ToContainTextAsync("1.0.0");
            var capability = session.Page.Locator("#capabilities tbody tr button").First;
            await Assertions.Expect(capability).ToBeVisibleAsync();
            await capability.ClickAsync();
            await Assertions.Expect(session.Page.Locator("#capability-providers tbody tr", new() { HasText = id })).ToBeVisibleAsync();
            await session.ScreenshotAsync("plugins");
            session.ShouldBeClean(fixture.ViewerToken);
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    [Fact]
    public async Task Topics_SubscriptionDepth_UpdatesWhenAMessageIsPublished()
    {
        var topic = Messages.NewName("dash");
        var subscription = Messages.NewName("sub");
        await Messages.ApplyTopicAsync(fixture.Server.Http, topic);
        await Messages.ApplySubscriptionAsync(fixture.Server.Http, subscription, topic);
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync(fixture.ViewerToken, "#/topics");
        await Assertions.Expect(session.Page.Locator("#topics tbody tr", new() { HasText = topic })).ToBeVisibleAsync();
        var row = session.Page.Locator("#subscriptions tbody tr", new() { HasText = subscription });
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("0");

        await Messages.PublishAsync(fixture.Server.Http, $"/api/v1/topics/{topic}/messages", JsonNode.Parse("""{"n": 1}"""));

        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await session.ScreenshotAsync("topics");
        session.ShouldBeClean(fixture.ViewerToken);
    }

    private static async Task<string> DownloadAsync(IPage page, string format)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"[data-export={format}]").First.ClickAsync());
        download.SuggestedFilename.ShouldEndWith("." + format);
        return await File.ReadAllTextAsync((await download.PathAsync())!);
    }
}
