using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Mcp;

/// <summary><c>berth mcp config</c>: snippets a client accepts as they are, which start this berth and never carry the token.</summary>
public sealed class McpConfigCommandTests
{
    private const string Secret = "berth_secret_token_value";

    [Fact]
    public async Task Config_Claude_StartsThisBerthWithMcpAndTheChosenServer()
    {
        var result = await Harness().RunAsync("mcp", "config", "--server", "http://10.1.2.3:2378");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var berth = Json(result).GetProperty("mcpServers").GetProperty("berth");
        var command = berth.GetProperty("command").GetString()!;
        Path.IsPathFullyQualified(command).ShouldBeTrue(command);
        File.Exists(command).ShouldBeTrue($"{command} is what the client will start");
        berth.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ShouldBe(["mcp", "--server", "http://10.1.2.3:2378"]);
        result.Err.ShouldContain("claude_desktop_config.json");
        result.All.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task Config_VsCode_IsAStdioServerUnderServers()
    {
        var result = await Harness().RunAsync("mcp", "config", "--client", "vscode");

        var berth = Json(result).GetProperty("servers").GetProperty("berth");
        berth.GetProperty("type").GetString().ShouldBe("stdio");
        berth.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ShouldBe(["mcp"]);
        result.Err.ShouldContain("the token from BERTH_TOKEN");
        result.All.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task Config_VsCodeHttp_AsksForTheTokenThroughAnInputInsteadOfPrintingIt()
    {
        var result = await Harness().RunAsync("mcp", "config", "--client", "vscode", "--http", "--server", "https://berth.example.com:8443");

        var root = Json(result);
        var berth = root.GetProperty("servers").GetProperty("berth");
        berth.GetProperty("type").GetString().ShouldBe("http");
        berth.GetProperty("url").GetString().ShouldBe("https://berth.example.com:8443/mcp");
        berth.GetProperty("headers").GetProperty("Authorization").GetString().ShouldBe("Bearer ${input:berth-token}");
        var input = root.GetProperty("inputs").EnumerateArray().ShouldHaveSingleItem();
        input.GetProperty("id").GetString().ShouldBe("berth-token");
        input.GetProperty("password").GetBoolean().ShouldBeTrue();
        result.All.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task Config_ClaudeHttp_ReadsTheTokenFromTheEnvironmentVariable()
    {
        var result = await Harness().RunAsync("mcp", "config", "--http");

        var berth = Json(result).GetProperty("mcpServers").GetProperty("berth");
        berth.GetProperty("url").GetString().ShouldBe("http://127.0.0.1:2378/mcp");
        berth.GetProperty("headers").GetProperty("Authorization").GetString().ShouldBe("Bearer ${BERTH_TOKEN}");
        result.Err.ShouldContain("Claude Desktop");
        result.All.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task Config_UnknownClient_IsAUsageErrorNamingTheChoices()
    {
        var result = await Harness().RunAsync("mcp", "config", "--client", "cursor");

        result.ExitCode.ShouldBe(ExitCodes.Usage);
        result.Err.ShouldContain("vscode");
    }

    private static CliHarness Harness()
    {
        var harness = new CliHarness();
        harness.Environment["BERTH_TOKEN"] = Secret;
        return harness;
    }

    private static JsonElement Json(CliResult result) => JsonDocument.Parse(result.Out).RootElement.Clone();
}
