using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

internal static class SpecTestData
{
    public static SpecReadOptions NoEnvironment { get; } = new() { Environment = _ => null };

    public static string UniqueName() => $"a{Guid.NewGuid():N}"[..12];

    /// <summary>A one-agent document whose spec block is <paramref name="specLines"/> (each line indented by two spaces here).</summary>
    public static string Agent(string name, params string[] specLines) =>
        "apiVersion: berth/v1\nkind: Agent\nmetadata:\n  name: " + name + "\nspec:\n" + string.Concat(specLines.Select(l => "  " + l + "\n"));

    public static SpecSet Read(string text, SpecReadOptions? options = null) => SpecReader.Read(text, options ?? NoEnvironment);

    public static SpecReadOptions WithEnvironment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return new SpecReadOptions { Environment = name => map.GetValueOrDefault(name) };
    }

    public static AgentSpec ValidContainer(string? name = null) => new() { Name = name ?? UniqueName(), Image = "local/echo:1" };

    public static SpecError ShouldHaveOneError(this SpecSet set, string path)
    {
        var matches = set.Errors.Where(e => e.Path == path).ToList();
        matches.Count.ShouldBe(1, $"expected one error at '{path}', got: {string.Join(" | ", set.Errors)}");
        return matches[0];
    }

    public static AgentSpec ShouldBeSingleValidAgent(this SpecSet set)
    {
        set.Errors.ShouldBeEmpty(string.Join(" | ", set.Errors));
        set.IsValid.ShouldBeTrue();
        return set.Agents.ShouldHaveSingleItem();
    }
}
