using System.Text;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>Hostile or careless spec texts: deep nesting, aliases, health paths that name another host, dependsOn cycles.</summary>
public sealed class HardeningSpecTests
{
    private static string Document(string name, params string[] specLines) => SpecTestData.Agent(name, specLines);

    [Theory]
    [InlineData(100_000)]
    [InlineData(SpecReader.MaximumDepth)]
    public void Read_NestingPastTheLimit_IsOneSyntaxErrorNamingTheLimitAndWhere(int depth)
    {
        var text = "apiVersion: berth/v1\nkind: Agent\nmetadata: { name: deep }\nspec:\n  image: local/echo:1\n  command: " + new string('[', depth) + "\n";

        var set = SpecTestData.Read(text);

        var error = set.Errors.ShouldHaveSingleItem();
        error.Message.ShouldContain($"nesting deeper than {SpecReader.MaximumDepth} levels");
        error.Line.ShouldBe(6);
        error.Column.ShouldBe(12 + SpecReader.MaximumDepth - 2);
    }

    [Fact]
    public void Read_NestingAtTheLimit_IsNotASyntaxError()
    {
        var depth = SpecReader.MaximumDepth - 2; // the document's mapping and spec are two levels
        var text = "apiVersion: berth/v1\nkind: Agent\nmetadata: { name: deep }\nspec:\n  image: local/echo:1\n  command: " + new string('[', depth) + new string(']', depth) + "\n";

        var set = SpecTestData.Read(text);

        set.Errors.ShouldHaveSingleItem().Message.ShouldNotContain("nesting");
    }

    [Fact]
    public void Read_Alias_IsRefusedNamingIt()
    {
        var text = Document("alias", "image: local/echo:1", "env:", "  A: &a x", "  B: *a");

        SpecTestData.Read(text).Errors.ShouldHaveSingleItem().Message.ShouldContain("aliases (*a) are not supported");
    }

    [Theory]
    [InlineData("//127.0.0.1:24990/x", "starts with '//'")]
    [InlineData("http://127.0.0.1:24990/x", "is not a valid path")]
    [InlineData("127.0.0.1:24990/x", "is not a valid path")]
    [InlineData("/\\\\127.0.0.1/x", "backslash")]
    [InlineData("/health\r\nHost: evil", "control character")]
    [InlineData("/he alth", "space")]
    public void Validate_HealthPathThatCouldLeaveTheInstance_IsRefused(string path, string message)
    {
        var errors = AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Health = new HealthSpec { Path = path } });

        var error = errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("spec.health.path");
        error.Message.ShouldContain(message);
        error.Message.ShouldContain("like /health");
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/")]
    [InlineData("/v1/health?deep=1")]
    [InlineData("/a//b")]
    public void Validate_OrdinaryHealthPath_IsAccepted(string path) =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Health = new HealthSpec { Path = path } }).ShouldBeEmpty();

    [Fact]
    public void Read_DependsOnCycleInOneFile_IsRefusedNamingTheCycle()
    {
        var text = Document("a", "image: local/echo:1", "dependsOn: [b]") + "---\n" + Document("b", "image: local/echo:1", "dependsOn: [a]");

        var set = SpecTestData.Read(text);

        var error = set.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("agents/b: spec.dependsOn[0]");
        error.Message.ShouldStartWith("dependsOn cycle a → b → a;");
        error.Line.ShouldBe(15);
        set.IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Read_LongerCycle_NamesEveryAgentOnIt()
    {
        var text = Document("a", "image: local/echo:1", "dependsOn: [b]") + "---\n"
            + Document("b", "image: local/echo:1", "dependsOn: [db, c]") + "---\n"
            + Document("c", "image: local/echo:1", "dependsOn: [a]");

        SpecTestData.Read(text).Errors.ShouldHaveSingleItem().Message.ShouldStartWith("dependsOn cycle a → b → c → a;");
    }

    [Fact]
    public void Read_DependsOnAnAgentNotDefinedYet_StaysLegal()
    {
        var text = Document("a", "image: local/echo:1", "dependsOn: [b, later]") + "---\n" + Document("b", "image: local/echo:1", "dependsOn: [later]");

        SpecTestData.Read(text).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Through_AppliedAgentClosingACycleWithStoredOnes_IsTheShortestCycleStartingAtIt()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["a"] = ["b"],
            ["b"] = ["c", "missing"],
            ["c"] = ["a"],
            ["d"] = [],
        };

        AgentDependencyCycles.Through("c", graph).ShouldBe(["c", "a", "b", "c"]);
        AgentDependencyCycles.Through("d", graph).ShouldBeNull();
    }

    [Fact]
    public void Find_ManyCycles_ReportsAtMostTheLimit()
    {
        var graph = Enumerable.Range(0, 1000).ToDictionary(i => $"a{i}", i => (IReadOnlyList<string>)[$"a{(i + 1) % 1000}", "a0"], StringComparer.Ordinal);

        AgentDependencyCycles.Find(graph).Count.ShouldBe(AgentDependencyCycles.MaximumReported);
    }
}
