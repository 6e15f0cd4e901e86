using System.Net.Http.Json;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

public sealed class ResourcesTests(McpResourceServer fixture) : IClassFixture<McpResourceServer>
{
    [Fact]
    public async Task ListResources_Viewer_SeesAgentLogsWorkflowAndRunWithCachingHints()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var page = await client.ListResourcesAsync(new ListResourcesRequestParams(), TestTimeouts.Token());

        page.Resources.Select(r => r.Uri).ShouldBeUnique();
        var byUri = page.Resources.ToDictionary(r => r.Uri);
        byUri[$"berth://agents/{fixture.AgentName}"].MimeType.ShouldBe("application/json");
        byUri[$"berth://agents/{fixture.AgentName}/logs"].MimeType.ShouldBe("text/plain");
        byUri[$"berth://workflows/{fixture.WorkflowName}"].MimeType.ShouldBe("application/json");
        byUri[$"berth://runs/{fixture.FailedRun.Id}"].MimeType.ShouldBe("application/json");
        page.TimeToLive.ShouldBe(TimeSpan.Zero);
        page.CacheScope.ShouldBe(CacheScope.Private);
    }

    [Fact]
    public async Task ListResources_CursorNotFromThePreviousPage_IsInvalidParams()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var error = await Should.ThrowAsync<McpProtocolException>(
            async () => await client.ListResourcesAsync(new ListResourcesRequestParams { Cursor = "../etc" }, TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        error.Message.ShouldContain("nextCursor");
    }

    [Fact]
    public async Task ListResourceTemplates_ShowsTheFourUriTemplates()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var result = await client.ListResourceTemplatesAsync(new ListResourceTemplatesRequestParams(), TestTimeouts.Token());

        result.ResourceTemplates.Select(t => t.UriTemplate).ShouldBe(
            ["berth://agents/{name}", "berth://agents/{name}/logs", "berth://workflows/{name}", "berth://runs/{id}"], ignoreOrder: true);
        result.CacheScope.ShouldBe(CacheScope.Private);
        result.TimeToLive.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task ReadResource_Agent_IsWhatTheApiShows(string protocolVersion)
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), protocolVersion);

        var result = await client.ReadResourceAsync($"berth://agents/{fixture.AgentName}", cancellationToken: TestTimeouts.Token());

        var contents = result.Contents.OfType<TextResourceContents>().ShouldHaveSingleItem();
        contents.MimeType.ShouldBe("application/json");
        var view = JsonSerializer.Deserialize<AgentView>(contents.Text, BerthJson.Options)!;
        var api = await fixture.Server.GetAsync(fixture.AgentName);
        view.Name.ShouldBe(api.Name);
        JsonSerializer.Serialize(view.Spec, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(api.Spec, BerthJson.Options));
        view.ProxyPath.ShouldBe(api.ProxyPath);
        view.Instances.Select(i => i.Id).ShouldBe(api.Instances.Select(i => i.Id));
        result.CacheScope.ShouldBe(CacheScope.Private);
        result.TimeToLive.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task ReadResource_Logs_HasTheLinesTheAgentWrote()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());
        var marker = $"/cgi-bin/echo?m={Guid.NewGuid():N}";
        (await fixture.Server.Http.GetAsync($"/agents/{fixture.AgentName}{marker}", TestTimeouts.Token())).EnsureSuccessStatusCode();

        var text = await Eventually.MatchAsync(
            async ct => (await client.ReadResourceAsync($"berth://agents/{fixture.AgentName}/logs", cancellationToken: ct)).Contents.OfType<TextResourceContents>().Single(),
            c => c.Text.Contains($"served GET {marker}", StringComparison.Ordinal),
            last => $"the logs resource never showed the request; last: {last?.Text}");

        text.MimeType.ShouldBe("text/plain");
        text.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeLessThanOrEqualTo(200);
        text.Text.ShouldContain(" stderr served GET");
    }

    [Fact]
    public async Task ReadResource_Workflow_IsTheStoredRecord()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var result = await client.ReadResourceAsync($"berth://workflows/{fixture.WorkflowName}", cancellationToken: TestTimeouts.Token());

        using var json = JsonDocument.Parse(result.Contents.OfType<TextResourceContents>().Single().Text);
        json.RootElement.GetProperty("name").GetString().ShouldBe(fixture.WorkflowName);
        json.RootElement.GetProperty("spec").GetProperty("steps")[0].GetProperty("id").GetString().ShouldBe("call");
    }

    [Fact]
    public async Task ReadResource_Run_IsWhatGetRunShows()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var result = await client.ReadResourceAsync($"berth://runs/{fixture.FailedRun.Id}", cancellationToken: TestTimeouts.Token());

        var run = JsonSerializer.Deserialize<RunView>(result.Contents.OfType<TextResourceContents>().Single().Text, BerthJson.Options)!;
        var api = await fixture.Server.Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{fixture.FailedRun.Id}", BerthJson.Options, TestTimeouts.Token());
        run.ShouldBe(api! with { Steps = run.Steps, StepCounts = run.StepCounts, Inputs = run.Inputs });
        run.Steps!.Single().Failure!.Message.ShouldBe(api.Steps!.Single().Failure!.Message);
        run.Steps!.Single().Failure!.Message.ShouldContain("nobody-here");
    }

    [Theory]
    [InlineData("2025-11-25", McpErrorCode.ResourceNotFound)]
    [InlineData("2026-07-28", McpErrorCode.InvalidParams)]
    public async Task ReadResource_UnknownAgent_IsTheEraResourceNotFoundErrorNamingTheUri(string protocolVersion, McpErrorCode expected)
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), protocolVersion);

        var error = await Should.ThrowAsync<McpProtocolException>(
            async () => await client.ReadResourceAsync("berth://agents/no-such-agent", cancellationToken: TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(expected);
        error.Data["uri"].ShouldNotBeNull().ToString().ShouldBe("berth://agents/no-such-agent");
        error.Message.ShouldContain("berth://agents/no-such-agent");
        error.Message.ShouldContain("resources/list");
    }

    [Theory]
    [InlineData("berth://agents/../secrets")]
    [InlineData("berth://agents/a/b/c")]
    [InlineData("file:///etc/passwd")]
    public async Task ReadResource_NotABerthUri_IsRefusedWithoutReadingAnything(string uri)
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), "2025-11-25");

        var error = await Should.ThrowAsync<McpProtocolException>(async () => await client.ReadResourceAsync(uri, cancellationToken: TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(McpErrorCode.ResourceNotFound);
        error.Message.ShouldContain("not a Berth resource URI");
    }

    private async Task<string> ViewerAsync() => (await Security.TokenRequests.CreateAsync(fixture.Server, "viewer")).Token;
}
