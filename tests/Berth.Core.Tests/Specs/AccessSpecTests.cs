using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class AccessSpecTests
{
    private static SpecSet ReadAccess(string access) =>
        SpecTestData.Read(SpecTestData.Agent("caller", "image: local/echo:1", "access: " + access));

    [Fact]
    public void Read_AccessAgents_ReadsTheNames() =>
        ReadAccess("{ agents: [summarizer, search] }").ShouldBeSingleValidAgent().Access.ShouldNotBeNull().Agents.ShouldBe(["summarizer", "search"]);

    [Fact]
    public void Read_AccessCapabilities_ReadsTheNamesApartFromAgents()
    {
        var access = ReadAccess("{ capabilities: [summarize, count-words] }").ShouldBeSingleValidAgent().Access.ShouldNotBeNull();

        access.Capabilities.ShouldBe(["summarize", "count-words"]);
        access.Agents.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{ capabilities: [\"two words\"] }", "spec.access.capabilities[0]", "'two words' is not a capability name; expected at most 100 letters, digits, '-', '_' or '.', like summarize")]
    [InlineData("{ capabilities: [a, b, a] }", "spec.access.capabilities[2]", "'a' is listed twice; expected each capability once")]
    public void Read_BadAccessCapabilities_ReportsPathAndWhatIsExpected(string access, string path, string message) =>
        ReadAccess(access).ShouldHaveOneError(path).Message.ShouldBe(message);

    [Fact]
    public void Read_NoAccessBlock_LeavesNoAccess() =>
        SpecTestData.Read(SpecTestData.Agent("caller", "image: local/echo:1")).ShouldBeSingleValidAgent().Access.ShouldBeNull();

    [Fact]
    public void Read_OwnName_IsAllowed() =>
        ReadAccess("{ agents: [caller] }").ShouldBeSingleValidAgent().Access!.Agents.ShouldBe(["caller"]);

    [Theory]
    [InlineData("{ agent: [b] }", "spec.access.agent", "unknown field; did you mean 'agents'?")]
    [InlineData("[b]", "spec.access", "expected a mapping with agents, capabilities, publish, models, found a list")]
    [InlineData("{ agents: { b: 1 } }", "spec.access.agents", "expected a list like [a, b], found a mapping")]
    [InlineData("{ agents: [Not_A_Label] }", "spec.access.agents[0]", "'Not_A_Label' is not an agent name; expected " +
        "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")]
    [InlineData("{ agents: [b, c, b] }", "spec.access.agents[2]", "'b' is listed twice; expected each agent once")]
    public void Read_BadAccess_ReportsPathAndWhatIsExpected(string access, string path, string message) =>
        ReadAccess(access).ShouldHaveOneError(path).Message.ShouldBe(message);

    [Fact]
    public void Read_MisspeltAccessField_ReportsLineAndColumn()
    {
        var text = SpecTestData.Agent("caller", "image: local/echo:1", "access:", "  agnets: [b]");

        var error = SpecTestData.Read(text).ShouldHaveOneError("spec.access.agnets");

        error.Message.ShouldBe("unknown field; did you mean 'agents'?");
        error.Line.ShouldBe(8);
        error.Column.ShouldBe(5);
    }

    [Fact]
    public void Read_InvalidNameInBlockList_ReportsItsLine()
    {
        var text = SpecTestData.Agent("caller", "image: local/echo:1", "access:", "  agents:", "    - ok", "    - NO");

        var error = SpecTestData.Read(text).ShouldHaveOneError("spec.access.agents[1]");

        error.Line.ShouldBe(10);
    }

    [Fact]
    public void Read_AccsesTypo_SuggestsAccess() =>
        SpecTestData.Read(SpecTestData.Agent("caller", "image: local/echo:1", "acess: { agents: [b] }"))
            .ShouldHaveOneError("spec.acess").Message.ShouldBe("unknown field; did you mean 'access'?");

    [Fact]
    public void Validate_JsonBody_ChecksAccessToo()
    {
        var spec = SpecTestData.ValidContainer() with { Access = new AccessSpec { Agents = ["ok", "x y"] } };

        var error = AgentSpecValidator.Validate(spec, "").ShouldHaveSingleItem();

        error.Path.ShouldBe("access.agents[1]");
    }

    [Fact]
    public void Serialize_Access_UsesCamelCaseAndRoundTrips()
    {
        var spec = SpecTestData.ValidContainer() with { Access = new AccessSpec { Agents = ["b", "c"] } };

        var json = JsonSerializer.Serialize(spec, BerthJson.Options);
        var back = JsonSerializer.Deserialize<AgentSpec>(json, BerthJson.Options)!;

        json.ShouldContain("\"access\":{\"agents\":[\"b\",\"c\"]}");
        back.Access.ShouldNotBeNull().Agents.ShouldBe(["b", "c"]);
    }

    [Fact]
    public void Serialize_NoAccess_OmitsTheField() =>
        JsonSerializer.Serialize(SpecTestData.ValidContainer(), BerthJson.Options).ShouldNotContain("access");

    [Fact]
    public void ToYaml_Access_WritesTheListThatReadsBack()
    {
        var spec = SpecTestData.ValidContainer("caller") with { Access = new AccessSpec { Agents = ["b", "c"] } };

        var yaml = SpecWriter.ToYaml(spec);
        var back = SpecTestData.Read(yaml).ShouldBeSingleValidAgent();

        yaml.ShouldContain("\n  access:\n    agents: [b, c]\n");
        back.Access.ShouldNotBeNull().Agents.ShouldBe(["b", "c"]);
    }
}
