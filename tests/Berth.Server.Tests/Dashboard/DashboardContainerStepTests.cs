using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Workflows.Engine;
using Berth.Testing;
using Microsoft.Playwright;

namespace Berth.Server.Tests.Dashboard;

/// <summary>The run page with container steps on a real Docker engine: a step's log lines, and the cache explained.</summary>
[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class DashboardContainerStepTests : IAsyncLifetime
{
    private WorkflowServer _server = null!;
    private DebianChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _server = await WorkflowServer.StartAsync();
        _chromium = await DebianChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Run_ContainerSteps_LogLinesShownAndCacheHitExplained()
    {
        var marker = $"line-{Guid.NewGuid():N}"[..14];
        var spec = new WorkflowSpec
        {
            Name = $"dash{Guid.NewGuid():N}"[..12],
            Steps =
            [
                WorkflowServer.Shell("words", $"echo {marker}; echo second line; echo a b c > /out/words.txt", outputs: ["/out"]),
                WorkflowServer.Shell("count", "wc -w < /in/words.txt", files: new Dictionary<string, string> { ["/in/words.txt"] = "${{ steps.words.files['/out/words.txt'] }}" }),
            ],
        };
        var first = await _server.RunAsync(spec);
        first.State.ShouldBe(RunState.Succeeded);
        var second = await _server.WaitAsync((await _server.StartAsync(spec.Name)).Id);
        second.Steps!.Select(s => s.State).ShouldAllBe(state => state == StepState.Cached);
        var viewer = (await TokenRequests.CreateAsync(_server.Server, "viewer")).Token;
        await using var session = await DashboardSession.OpenAsync(_chromium.Browser, _server.Server.Server.Address);

        await session.SignInAsync(viewer, $"#/runs/{first.Id}");
        await session.Page.Locator("#dag .node[data-step=words]").ClickAsync();

        await Assertions.Expect(session.Page.Locator("#step-detail .step-log")).ToContainTextAsync(marker);
        await Assertions.Expect(session.Page.Locator("#step-detail .step-log")).ToContainTextAsync("second line");
        await session.Page.GotoAsync($"/ui#/runs/{second.Id}");
        await Assertions.Expect(session.Page.Locator("#dag .node[data-step=count]")).ToHaveAttributeAsync("data-state", "cached");
        await session.Page.Locator("#dag .node[data-step=count]").ClickAsync();
        await session.Page.Locator("#explain").ClickAsync();
        await Assertions.Expect(session.Page.Locator("#step-detail .explain")).ToContainTextAsync("Cache hit");
        await session.ScreenshotAsync("run-cached-explained");
        session.ShouldBeClean(viewer);
    }
}
