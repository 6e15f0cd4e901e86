using Berth.Server.Tests.Mcp;
using Berth.Server.Tests.Security;
using Berth.Testing;

namespace Berth.Server.Tests.Plugins;

/// <summary>The MCP tools list_plugins (viewers) and invoke_plugin (operators) against the text-analysis plugin on a real server.</summary>
public sealed class PluginMcpToolsTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    [Fact]
    public async Task ListPlugins_Viewer_SeesEachPluginWithItsNewestSchemas()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var viewer = await TokenRequests.CreateAsync(fixture.Server, "viewer");
        await using var client = await McpClients.ConnectAsync(fixture.Server, viewer.Token);

        var result = await client.CallToolAsync("list_plugins", new Dictionary<string, object?>(), cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true);
        var listed = result.StructuredContent!.Value.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == plugin.Id);
        listed.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ShouldBe(["1.0.0"]);
        listed.GetProperty("inputs").GetProperty("required").EnumerateArray().Select(v => v.GetString()).ShouldBe(["text"]);
        listed.GetProperty("capabilities").EnumerateArray().Select(v => v.GetString()).ShouldBe(["count-words"]);
    }

    [Fact]
    public async Task InvokePlugin_Operator_ReturnsTheOutputs()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var operatorToken = await TokenRequests.CreateAsync(fixture.Server, "operator");
        await using var client = await McpClients.ConnectAsync(fixture.Server, operatorToken.Token);

        var result = await client.CallToolAsync(
            "invoke_plugin", new Dictionary<string, object?> { ["id"] = $"{plugin.Id}@^1", ["inputs"] = new Dictionary<string, object?> { ["text"] = "four words right here" } },
            cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true);
        var answer = result.StructuredContent!.Value;
        answer.GetProperty("outputs").GetProperty("wordCount").GetInt32().ShouldBe(4);
        (answer.GetProperty("plugin").GetString(), answer.GetProperty("version").GetString()).ShouldBe((plugin.Id, "1.0.0"));
    }

    [Fact]
    public async Task InvokePlugin_InputsBreakTheSchema_FailsNamingTheField()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        await using var client = await McpClients.ConnectAsync(fixture.Server, fixture.Server.AdminToken);

        var result = await client.CallToolAsync(
            "invoke_plugin", new Dictionary<string, object?> { ["id"] = plugin.Id, ["inputs"] = new Dictionary<string, object?> { ["text"] = 7 } },
            cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("inputs.text");
    }

    [Fact]
    public async Task InvokePlugin_Viewer_IsRefusedAndDoesNotSeeTheTool()
    {
        var viewer = await TokenRequests.CreateAsync(fixture.Server, "viewer");
        await using var client = await McpClients.ConnectAsync(fixture.Server, viewer.Token);

        var tools = await client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
        var result = await client.CallToolAsync(
            "invoke_plugin", new Dictionary<string, object?> { ["id"] = TestPlugins.NewId(), ["inputs"] = new Dictionary<string, object?>() }, cancellationToken: TestTimeouts.Token());

        tools.Select(t => t.Name).ShouldContain("list_plugins");
        tools.Select(t => t.Name).ShouldNotContain("invoke_plugin");
        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("operator");
    }

    private static string Text(ModelContextProtocol.Protocol.CallToolResult result) =>
        string.Join("\n", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text));
}
