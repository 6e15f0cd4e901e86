using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Runs;

namespace Berth.Core.Tests.Workflows;

public sealed class TemplateTests
{
    private static readonly ArtifactRef Words = new("ab12", 6);

    private static readonly ExpressionScope Scope = new()
    {
        Inputs = new JsonObject { ["text"] = "hello world", ["count"] = 3, ["deploy"] = true, ["tags"] = new JsonArray("a", "b"), ["opts"] = new JsonObject { ["my key"] = 1 } },
        Steps = new Dictionary<string, StepOutputs>
        {
            ["split"] = new() { Stdout = "2", ExitCode = 0, Files = new Dictionary<string, ArtifactRef> { ["/out/words.txt"] = Words } },
            ["summarize"] = new() { Status = 200, Body = JsonNode.Parse("""{"summary":"short","scores":[1,2.5],"nested":{"ok":true}}""") },
            ["child"] = new() { Outputs = new Dictionary<string, StepOutputs> { ["inner"] = new() { Stdout = "deep" } } },
            ["analyse"] = new() { Status = 200, PluginOutputs = new JsonObject { ["wordCount"] = 2, ["stats"] = new JsonObject { ["top"] = new JsonArray("hello") } } },
            ["fan"] = new() { Items = [new() { Stdout = "x" }, new() { Stdout = "y", ExitCode = 0 }] },
            ["fanPlugin"] = new() { Items = [new() { Status = 200, PluginOutputs = new JsonObject { ["n"] = 1 }, Provider = "plugin:p@1.0.0" }] },
        },
        ReadFile = file => file == Words ? Encoding.UTF8.GetBytes("hello\nworld\n") : throw new InvalidOperationException("unknown file"),
    };

    [Fact]
    public void Parse_WordStatsExpressions_ListReferences()
    {
        var template = Template.Parse("${{ steps.split.files['/out/words.txt'] }} and ${{ inputs.text }} ${{ steps.count.stdout == '3' || item.x }}");

        template.Steps.ShouldBe(["split", "count"], ignoreOrder: true);
        template.Inputs.ShouldBe(["text"]);
        template.UsesItem.ShouldBeTrue();
        template.IsSingleExpression.ShouldBeFalse();
        template.HasExpressions.ShouldBeTrue();
    }

    [Fact]
    public void Parse_PlainTextAndSubstitutions_HaveNoExpressions()
    {
        var template = Template.Parse("cost: ${HOME} ${secret:key} {{ x }}");

        template.HasExpressions.ShouldBeFalse();
        template.Evaluate(Scope)!.GetValue<string>().ShouldBe("cost: ${HOME} ${secret:key} {{ x }}");
    }

    [Theory]
    [InlineData("${{ foo }}", "at position 5: unknown name 'foo'")]
    [InlineData("${{ inputs.text ", "at position 1: '${{' is not closed by '}}'")]
    [InlineData("${{ }}", "empty expression")]
    [InlineData("ab ${{ upper(inputs.text) }}", "at position 8: unknown name 'upper'")]
    [InlineData("${{ steps.a }}", "pick a field of the step")]
    [InlineData("${{ steps.a.stdout.x }}", "stdout, exitCode and status have no fields")]
    [InlineData("${{ steps.a.files.x }}", "files takes an absolute path")]
    [InlineData("${{ steps.a.logs }}", "unknown step field 'logs'")]
    [InlineData("${{ steps.a.outputs }}", "outputs needs a name: a plugin's output (outputs.summary) or a child workflow's step")]
    [InlineData("${{ steps.a.outputs[0] }}", "outputs takes a name")]
    [InlineData("${{ 'open }}", "the string is not closed")]
    [InlineData("${{ inputs.a + 1 }}", "at position 14: unexpected '+'")]
    [InlineData("${{ inputs.a inputs.b }}", "unexpected 'inputs'")]
    [InlineData("${{ (inputs.a }}", "expected ')'")]
    [InlineData("${{ inputs }}", "expected an input name")]
    public void Parse_Malformed_ThrowsNamingPositionAndProblem(string text, string message) =>
        Should.Throw<ExpressionException>(() => Template.Parse(text)).Message.ShouldContain(message);

    [Theory]
    [InlineData("${{ inputs.count }}", "3")]
    [InlineData("${{ inputs.tags }}", """["a","b"]""")]
    [InlineData("${{ inputs.tags[1] }}", "\"b\"")]
    [InlineData("${{ inputs.opts['my key'] }}", "1")]
    [InlineData("${{ steps.split.exitCode }}", "0")]
    [InlineData("${{ steps.summarize.body.scores[1] }}", "2.5")]
    [InlineData("${{ steps.summarize.body.nested }}", """{"ok":true}""")]
    [InlineData("${{ steps.summarize.status == 200 && inputs.deploy }}", "true")]
    [InlineData("${{ steps.child.outputs.inner.stdout }}", "\"deep\"")]
    [InlineData("${{ steps.analyse.outputs.wordCount }}", "2")]
    [InlineData("${{ steps.analyse.outputs.stats.top[0] }}", "\"hello\"")]
    [InlineData("${{ steps.analyse.status }}", "200")]
    [InlineData("${{ steps.analyse.outputs.wordCount > 1 }}", "true")]
    [InlineData("${{ steps.fan.items[1].stdout }}", "\"y\"")]
    [InlineData("${{ steps.fan.items }}", """[{"stdout":"x"},{"stdout":"y","exitCode":0}]""")]
    [InlineData("${{ steps.fanPlugin.items }}", """[{"status":200,"outputs":{"n":1}}]""")]
    [InlineData("${{ steps.fanPlugin.items[0].outputs.n }}", "1")]
    [InlineData("${{ steps.split.files['/out/words.txt'] }}", "\"hello\\nworld\\n\"")]
    [InlineData("${{ null }}", "null")]
    [InlineData("${{ !(inputs.count >= 3) || 'b' < 'a' }}", "false")]
    [InlineData("${{ inputs.count != 2.5 }}", "true")]
    [InlineData("${{ inputs.missing == null }}", "true")]
    public void Evaluate_SingleExpression_KeepsJsonType(string text, string json) =>
        (Template.Parse(text).Evaluate(Scope)?.ToJsonString() ?? "null").ShouldBe(json);

    [Fact]
    public void Evaluate_Text_RendersEachExpression() =>
        Template.Parse("n=${{ inputs.count }} t=${{ inputs.text }} l=${{ inputs.tags }} z=${{ null }} s=${{ steps.summarize.body.summary }}!")
            .Evaluate(Scope)!.GetValue<string>().ShouldBe("n=3 t=hello world l=[\"a\",\"b\"] z= s=short!");

    [Fact]
    public void Evaluate_ItemAndIndex_ComeFromTheScope()
    {
        var scope = Scope with { Item = new JsonObject { ["name"] = "x" }, Index = 4 };

        Template.Parse("${{ item.name }}-${{ index }}").Evaluate(scope)!.GetValue<string>().ShouldBe("x-4");
        Should.Throw<ExpressionException>(() => Template.Parse("${{ item }}").Evaluate(Scope)).Message.ShouldContain("item is only set in a step with forEach");
    }

    [Theory]
    [InlineData("${{ steps.summarize.body.title }}", "steps.summarize.body has no field 'title' (it has summary, scores, nested)")]
    [InlineData("${{ steps.split.files['/out/other.txt'] }}", "steps.split.files['/out/other.txt'] is not among the step's output files (/out/words.txt)")]
    [InlineData("${{ steps.summarize.stdout }}", "only a container step has stdout")]
    [InlineData("${{ steps.analyse.outputs.summary }}", "steps.analyse.outputs has no field 'summary' (it has wordCount, stats)")]
    [InlineData("${{ steps.summarize.outputs.summary }}", "only a workflow or plugin step has outputs")]
    [InlineData("${{ steps.split.status }}", "only an agent or plugin step has a status")]
    [InlineData("${{ steps.nothing.stdout }}", "step 'nothing' has no outputs")]
    [InlineData("${{ inputs.count == 'three' }}", "cannot compare a number with a string")]
    [InlineData("${{ inputs.text > 1 }}", "cannot order a string and a number")]
    [InlineData("${{ inputs.tags[5] }}", "inputs.tags has 2 items")]
    [InlineData("${{ steps.fan.items[2].stdout }}", "the step has 2 items")]
    public void Evaluate_Failure_NamesTheExpression(string text, string message)
    {
        var exception = Should.Throw<ExpressionException>(() => Template.Parse("x " + text).Evaluate(Scope));

        exception.Message.ShouldStartWith(text + ": ");
        exception.Message.ShouldContain(message);
    }

    [Fact]
    public void EvaluateBytes_SingleFileExpression_GivesTheRawBytes()
    {
        var bytes = new byte[] { 0xff, 0x00, 0xfe };
        var scope = Scope with { ReadFile = _ => bytes };

        Template.Parse("${{ steps.split.files['/out/words.txt'] }}").EvaluateBytes(scope).ShouldBe(bytes);
        Template.Parse("n=${{ inputs.count }}").EvaluateBytes(scope).ShouldBe("n=3"u8.ToArray());
        Template.Parse("${{ inputs.text }}").EvaluateBytes(scope).ShouldBe("hello world"u8.ToArray());
    }

    [Theory]
    [InlineData("${{ false }}", false)]
    [InlineData("${{ null }}", false)]
    [InlineData("${{ 0 }}", false)]
    [InlineData("${{ '' }}", false)]
    [InlineData("${{ 'false' }}", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData("${{ inputs.deploy }}", true)]
    [InlineData("${{ inputs.tags }}", true)]
    [InlineData("${{ 'no' }}", true)]
    [InlineData("${{ steps.split.stdout == '2' }}", true)]
    public void IsTrue_FollowsTheTruthRules(string text, bool expected) =>
        Template.Parse(text).IsTrue(Scope).ShouldBe(expected);

    [Fact]
    public void JsonTemplates_Evaluate_EvaluatesEveryString()
    {
        var body = JsonNode.Parse("""{"words":"${{ steps.split.stdout }}","n":"${{ inputs.count }}","list":["${{ inputs.tags }}","x ${{ inputs.count }}",7],"plain":"a"}""");

        var result = JsonTemplates.Evaluate(body, Scope);

        result!.ToJsonString().ShouldBe("""{"words":"2","n":3,"list":[["a","b"],"x 3",7],"plain":"a"}""");
        JsonTemplates.Strings(body, "body").Select(s => s.Path).ShouldBe(["body.words", "body.n", "body.list[0]", "body.list[1]", "body.plain"]);
    }

    [Fact]
    public void Evaluate_ResultCanBeAttachedElsewhere()
    {
        var target = new JsonObject { ["copy"] = Template.Parse("${{ inputs.tags }}").Evaluate(Scope) };

        target.ToJsonString().ShouldBe("""{"copy":["a","b"]}""");
    }
}
