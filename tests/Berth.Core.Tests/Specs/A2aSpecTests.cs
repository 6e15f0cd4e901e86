using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>The agent spec's <c>a2a</c> field: read with its default card path, the path checked, written out only when set.</summary>
public sealed class A2aSpecTests
{
    [Theory]
    [InlineData("a2a: {}", "/.well-known/agent-card.json")]
    [InlineData("a2a: { card: /cards/agent.json }", "/cards/agent.json")]
    public void Read_A2a_IsParsedWithTheWellKnownDefault(string line, string expected) =>
        SpecTestData.Read(SpecTestData.Agent("helper", "image: local/echo:1", line))
            .ShouldBeSingleValidAgent().A2a.ShouldNotBeNull().Card.ShouldBe(expected);

    [Fact]
    public void Read_NoA2a_IsNull() =>
        SpecTestData.Read(SpecTestData.Agent("helper", "image: local/echo:1")).ShouldBeSingleValidAgent().A2a.ShouldBeNull();

    [Theory]
    [InlineData("card.json", "does not start with '/'")]
    [InlineData("//evil.example/card.json", "segment")]
    [InlineData("/a/../card.json", "segment")]
    [InlineData("/.well-known/./card.json", "segment")]
    [InlineData("/card.json?x=1", "a query")]
    [InlineData("/card%2e%2e", "character")]
    [InlineData("'/ca\\trd'", "character")]
    [InlineData("'/ca\\nrd'", "character")]
    [InlineData("'/ca\\\\rd'", "character")]
    [InlineData("''", "required")]
    public void Read_BadCardPath_IsAnErrorAtTheField(string path, string expected) =>
        SpecTestData.Read(SpecTestData.Agent("helper", "image: local/echo:1", $"a2a: {{ card: {path} }}"))
            .ShouldHaveOneError("spec.a2a.card").Message.ShouldContain(expected);

    [Fact]
    public void Read_LongCardPath_NamesTheLimit() =>
        SpecTestData.Read(SpecTestData.Agent("helper", "image: local/echo:1", $"a2a: {{ card: /{new string('a', 300)} }}"))
            .ShouldHaveOneError("spec.a2a.card").Message.ShouldContain("at most 256");

    [Fact]
    public void ToYaml_A2a_IsWrittenAndReadsBack()
    {
        var spec = new AgentSpec { Name = "helper", Image = "local/echo:1", A2a = new A2aSpec { Card = "/cards/agent.json" } };

        var yaml = SpecWriter.ToYaml(spec);

        yaml.ShouldContain("card: /cards/agent.json");
        SpecTestData.Read(yaml).ShouldBeSingleValidAgent().A2a.ShouldBe(spec.A2a);
    }

    [Fact]
    public void ToYaml_NoA2a_IsLeftOut() =>
        SpecWriter.ToYaml(new AgentSpec { Name = "helper", Image = "local/echo:1" }).ShouldNotContain("a2a");
}
