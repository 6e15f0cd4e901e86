using Berth.Core.Specs.Yaml;

namespace Berth.Core.Tests.Specs;

public sealed class FieldSuggesterTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("replica", "replicas", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("imgae", "image", 1)]
    public void Distance_Pairs_IsLevenshtein(string a, string b, int expected)
    {
        FieldSuggester.Distance(a, b).ShouldBe(expected);
        FieldSuggester.Distance(b, a).ShouldBe(expected);
    }

    [Theory]
    [InlineData("imgae", "image")]
    [InlineData("WorkingDir", "workingDir")]
    [InlineData("helth", "health")]
    [InlineData("xyz", null)]
    [InlineData("gpu", null)]
    public void Suggest_Name_ReturnsCloseFieldOnly(string name, string? expected) =>
        FieldSuggester.Suggest(name, ["image", "workingDir", "health", "cpus"]).ShouldBe(expected);
}
