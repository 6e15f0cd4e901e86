using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Inputs;

namespace Berth.Core.Tests.Workflows;

public sealed class InputBinderTests
{
    private static readonly WorkflowSpec Spec = new()
    {
        Name = "wf",
        Inputs = new Dictionary<string, WorkflowInputSpec>
        {
            ["text"] = new() { Required = true },
            ["count"] = new() { Type = InputType.Number, Default = 3 },
            ["loud"] = new() { Type = InputType.Boolean },
            ["files"] = new() { Type = InputType.List, Default = new JsonArray("a") },
            ["opts"] = new() { Type = InputType.Map },
        },
    };

    [Fact]
    public void Bind_GivenAndDefaults_FillsInDeclarationOrder()
    {
        var (inputs, errors) = InputBinder.Bind(Spec, new JsonObject { ["loud"] = true, ["text"] = "hi" });

        errors.ShouldBeEmpty();
        inputs.ToJsonString().ShouldBe("""{"text":"hi","count":3,"loud":true,"files":["a"]}""");
    }

    [Fact]
    public void Bind_Problems_AreEachReportedWithTheirPath()
    {
        var (_, errors) = InputBinder.Bind(Spec, new JsonObject { ["count"] = "abc", ["cuont"] = 1, ["opts"] = new JsonArray(), ["zzz"] = 1 });

        errors.ShouldBe(
        [
            new SpecError("inputs.text", "required; expected a string"),
            new SpecError("inputs.count", "expected a number, got \"abc\""),
            new SpecError("inputs.opts", "expected an object, got []"),
            new SpecError("inputs.cuont", "unknown input; did you mean 'count'?"),
            new SpecError("inputs.zzz", "unknown input; expected one of text, count, loud, files, opts"),
        ]);
    }

    [Fact]
    public void Bind_DoesNotShareNodesWithTheSpec()
    {
        var (inputs, _) = InputBinder.Bind(Spec, new JsonObject { ["text"] = "x" });

        ((JsonArray)inputs["files"]!).Add("b");

        Spec.Inputs["files"].Default!.ToJsonString().ShouldBe("""["a"]""");
    }

    [Fact]
    public void FromText_ConvertsByDeclaredType()
    {
        var text = new Dictionary<string, string> { ["text"] = "42", ["count"] = "2.5", ["loud"] = "true", ["files"] = """["x","y"]""", ["opts"] = """{"a":1}""", ["other"] = "7" };

        var inputs = InputBinder.FromText(Spec, text);

        inputs.ToJsonString().ShouldBe("""{"text":"42","count":2.5,"loud":true,"files":["x","y"],"opts":{"a":1},"other":"7"}""");
    }

    [Fact]
    public void FromText_Unparseable_IsKeptAsTextAndBindReportsIt()
    {
        var inputs = InputBinder.FromText(Spec, new Dictionary<string, string> { ["text"] = "t", ["count"] = "abc", ["files"] = "[oops" });

        InputBinder.Bind(Spec, inputs).Errors.Select(e => e.ToString()).ShouldBe(["inputs.count: expected a number, got \"abc\"", "inputs.files: expected a list, got \"[oops\""]);
    }
}
