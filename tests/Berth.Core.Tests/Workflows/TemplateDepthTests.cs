using Berth.Core.Workflows.Expressions;

namespace Berth.Core.Tests.Workflows;

/// <summary>Expression nesting is bounded so neither parsing nor evaluating can exhaust the stack (which would end the process).</summary>
public sealed class TemplateDepthTests
{
    [Theory]
    [InlineData("(", ")")]
    [InlineData("!", "")]
    public void Parse_NestedToTheLimit_Parses(string open, string close)
    {
        var text = "${{ " + Repeat(open, Template.MaxDepth) + "true" + Repeat(close, Template.MaxDepth) + " }}";

        Should.NotThrow(() => Template.Parse(text));
    }

    [Theory]
    [InlineData("(", ")", 65)]
    [InlineData("!", "", 65)]
    [InlineData("(", ")", 30_000)]
    [InlineData("!", "", 100_000)]
    public void Parse_NestedPastTheLimit_NamesTheLimit(string open, string close, int depth)
    {
        var text = "${{ " + Repeat(open, depth) + "true" + Repeat(close, depth) + " }}";

        var error = Should.Throw<ExpressionException>(() => Template.Parse(text));

        error.Message.ShouldContain("nested deeper than 64 levels");
        error.Message.Length.ShouldBeLessThan(300);
    }

    [Fact]
    public void Parse_LongOperatorChain_NamesTheLimit()
    {
        var text = "${{ " + string.Join(" && ", Enumerable.Repeat("true", 100_000)) + " }}";

        Should.Throw<ExpressionException>(() => Template.Parse(text)).Message.ShouldContain("64 levels of operators");
    }

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
}
