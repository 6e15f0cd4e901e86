using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>The agent spec's <c>mcp</c> field: read, its path checked, written out only when set.</summary>
public sealed class McpSpecTests
{
    [Theory]
    [InlineData("mcp: { path: /mcp }", "/mcp")]
    [InlineData("mcp: { path: /api/v1/mcp/ }", "/api/v1/mcp/")]
    [InlineData("mcp: {}", "/mcp")]
    public void Read_Mcp_IsParsed(string line, string expected) =>
        SpecTestData.Read(SpecTestData.Agent("tools", "image: local/echo:1", line))
            .ShouldBeSingleValidAgent().Mcp.ShouldNotBeNull().Path.ShouldBe(expected);

    [Fact]
    public void Read_NoMcp_IsNull() =>
        SpecTestData.Read(SpecTestData.Agent("tools", "image: local/echo:1")).ShouldBeSingleValidAgent().Mcp.ShouldBeNull();

    [Theory]
    [InlineData("mcp", "does not start with '/'")]
    [InlineData("//evil.example/mcp", "segment")]
    [InlineData("/a/../mcp", "segment")]
    [InlineData("/./mcp", "segment")]
    [InlineData("/a//b", "segment")]
    [InlineData("/mcp?x=1", "a query")]
    [InlineData("/mcp#x", "character")]
    [InlineData("/m cp", "character")]
    [InlineData("/m%2e%2e", "character")]
    [InlineData("'/m\\tcp'", "character")]
    [InlineData("'/m\\\\cp'", "character")]
    [InlineData("''", "required")]
    public void Read_BadMcpPath_IsAnErrorAtTheField(string path, string expected) =>
        SpecTestData.Read(SpecTestData.Agent("tools", "image: local/echo:1", $"mcp: {{ path: {path} }}"))
            .ShouldHaveOneError("spec.mcp.path").Message.ShouldContain(expected);

    [Fact]
    public void Read_LongMcpPath_NamesTheLimit() =>
        SpecTestData.Read(SpecTestData.Agent("tools", "image: local/echo:1", $"mcp: {{ path: /{new string('a', 300)} }}"))
            .ShouldHaveOneError("spec.mcp.path").Message.ShouldContain("at most 256");

    [Fact]
    public void ToYaml_Mcp_IsWrittenAndReadsBack()
    {
        var spec = new AgentSpec { Name = "tools", Image = "local/echo:1", Mcp = new McpSpec { Path = "/rpc/mcp" } };

        var yaml = SpecWriter.ToYaml(spec);

        yaml.ShouldContain("path: /rpc/mcp");
        SpecTestData.Read(yaml).ShouldBeSingleValidAgent().Mcp.ShouldBe(spec.Mcp);
    }

    [Fact]
    public void ToYaml_DefaultMcpPath_ReadsBackAsAnMcpAgent() =>
        SpecTestData.Read(SpecWriter.ToYaml(new AgentSpec { Name = "tools", Image = "local/echo:1", Mcp = new McpSpec() }))
            .ShouldBeSingleValidAgent().Mcp.ShouldNotBeNull().Path.ShouldBe("/mcp");

    [Fact]
    public void ToYaml_NoMcp_IsLeftOut() =>
        SpecWriter.ToYaml(new AgentSpec { Name = "tools", Image = "local/echo:1" }).ShouldNotContain("mcp");
}
