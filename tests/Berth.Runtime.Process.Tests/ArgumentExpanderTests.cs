using Berth.Runtime.Process.Launching;

namespace Berth.Runtime.Process.Tests;

public sealed class ArgumentExpanderTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["PORT"] = "4242", ["NAME"] = "echo" };

    [Theory]
    [InlineData("--port=$(PORT)", "--port=4242")]
    [InlineData("$(NAME):$(PORT)", "echo:4242")]
    [InlineData("$$(PORT)", "$(PORT)")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("cost $5 and $$", "cost $5 and $")]
    [InlineData("$(PORT", "$(PORT")]
    [InlineData("trailing $", "trailing $")]
    [InlineData("no variables", "no variables")]
    public void Expand_KubernetesSyntax_ExpandsKnownNamesOnly(string input, string expected)
    {
        ArgumentExpander.Expand(input, Variables).ShouldBe(expected);
    }
}
