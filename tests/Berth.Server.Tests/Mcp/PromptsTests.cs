using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

public sealed class PromptsTests(McpResourceServer fixture) : IClassFixture<McpResourceServer>
{
    [Fact]
    public async Task ListPrompts_Viewer_SeesDeployAgentAndDebugRunWithTheirArguments()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var prompts = (await client.ListPromptsAsync(cancellationToken: TestTimeouts.Token())).ToDictionary(p => p.Name);

        prompts["deploy_agent"].ProtocolPrompt.Arguments!.Select(a => (a.Name, a.Required)).ShouldBe([("source", true), ("name", false), ("port", false)]);
        prompts["debug_run"].ProtocolPrompt.Arguments!.Select(a => (a.Name, a.Required)).ShouldBe([("id", true)]);
    }

    [Fact]
    public async Task GetDeployAgent_Image_GuidesToASpecWithRealFieldsAndTheApplyTool()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var result = await client.GetPromptAsync(
            "deploy_agent", new Dictionary<string, object?> { ["source"] = "ghcr.io/acme/summarizer:1", ["name"] = "summarizer", ["port"] = "9000" },
            cancellationToken: TestTimeouts.Token());

        var text = result.Messages.ShouldHaveSingleItem().Content.ShouldBeOfType<TextContentBlock>().Text;
        text.ShouldContain("kind: Agent");
        text.ShouldContain("name: summarizer");
        text.ShouldContain("image: ghcr.io/acme/summarizer:1");
        text.ShouldContain("port: 9000");
        text.ShouldContain("apply tool");
        text.ShouldContain("${secret:NAME}");
    }

    [Fact]
    public async Task GetDeployAgent_Command_SuggestsAProcessAgentListeningOnPort()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var result = await client.GetPromptAsync("deploy_agent", new Dictionary<string, object?> { ["source"] = "python3 app.py --verbose" }, cancellationToken: TestTimeouts.Token());

        var text = result.Messages.Single().Content.ShouldBeOfType<TextContentBlock>().Text;
        text.ShouldContain("command: python3");
        text.ShouldContain("args: [\"app.py\", \"--verbose\"]");
        text.ShouldContain("PORT");
    }

    [Theory]
    [InlineData("name", "Not_A_Label")]
    [InlineData("port", "70000")]
    public async Task GetDeployAgent_InvalidArgument_IsInvalidParamsNamingIt(string argument, string value)
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());
        var arguments = new Dictionary<string, object?> { ["source"] = "busybox:1", [argument] = value };

        var error = await Should.ThrowAsync<McpProtocolException>(async () => await client.GetPromptAsync("deploy_agent", arguments, cancellationToken: TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        error.Message.ShouldContain(argument);
    }

    [Fact]
    public async Task GetDebugRun_FailedRun_EmbedsTheRunAndNamesTheFailedStepsError()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var result = await client.GetPromptAsync("debug_run", new Dictionary<string, object?> { ["id"] = fixture.FailedRun.Id }, cancellationToken: TestTimeouts.Token());

        var embedded = result.Messages[0].Content.ShouldBeOfType<EmbeddedResourceBlock>().Resource.ShouldBeOfType<TextResourceContents>();
        embedded.Uri.ShouldBe($"berth://runs/{fixture.FailedRun.Id}");
        JsonSerializer.Deserialize<RunView>(embedded.Text, BerthJson.Options)!.Id.ShouldBe(fixture.FailedRun.Id);
        var ask = result.Messages[1].Content.ShouldBeOfType<TextContentBlock>().Text;
        ask.ShouldContain("Step 'call' (agent step, attempts started: 0) failed with error class config: agent 'nobody-here' does not exist", Case.Sensitive, ask);
        ask.ShouldContain("Diagnose this run");
    }

    [Fact]
    public async Task GetDebugRun_UnknownId_IsInvalidParamsNamingTheId()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync());

        var error = await Should.ThrowAsync<McpProtocolException>(
            async () => await client.GetPromptAsync("debug_run", new Dictionary<string, object?> { ["id"] = "no-such-run" }, cancellationToken: TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        error.Message.ShouldContain("No run with id 'no-such-run'");
    }

    private async Task<string> ViewerAsync() => (await Security.TokenRequests.CreateAsync(fixture.Server, "viewer")).Token;
}
