using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Workflows;

namespace Berth.Core.Tests.Workflows;

public sealed class WorkflowDocumentReaderTests
{
    [Fact]
    public void Read_WordStatsExample_YieldsTheWorkflow()
    {
        var set = SpecReader.Read(WorkflowYaml.WordStats);

        set.Errors.ShouldBeEmpty();
        var workflow = set.Workflows.ShouldHaveSingleItem();
        workflow.Name.ShouldBe("word-stats");
        workflow.Concurrency.ShouldBe(4);
        workflow.Inputs["text"].ShouldBe(new WorkflowInputSpec { Type = InputType.Text, Required = true });
        workflow.Steps.Select(s => (s.Id, s.Kind)).ShouldBe([("split", StepKind.Container), ("count", StepKind.Container), ("summarize", StepKind.Agent)]);
        var split = workflow.Steps[0].Container.ShouldNotBeNull();
        split.Command.ShouldBe(["sh", "-c", "tr -s ' ' '\\n' < /in/text.txt | sort > /out/words.txt"]);
        split.Files["/in/text.txt"].ShouldBe("${{ inputs.text }}");
        split.Outputs.ShouldBe(["/out"]);
        workflow.Steps[1].Container!.Files["/in/words.txt"].ShouldBe("${{ steps.split.files['/out/words.txt'] }}");
        var summarize = workflow.Steps[2];
        summarize.Agent!.Body!.ToJsonString().ShouldBe("""{"words":"${{ steps.count.stdout }}"}""");
        summarize.Retry.ShouldBe(new StepRetrySpec { MaxAttempts = 3, Backoff = BackoffKind.Exponential, InitialDelay = TimeSpan.FromSeconds(1), On = summarize.Retry!.On });
        summarize.Retry.On.ShouldBe([ErrorClass.Transient, ErrorClass.Timeout]);
        summarize.Timeout.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Read_AgentAndWorkflowTogether_KeepsBothKinds()
    {
        var text = """
            apiVersion: berth/v1
            kind: Agent
            metadata: { name: summarizer }
            spec: { image: local/echo:1 }
            ---
            """ + "\n" + WorkflowYaml.WordStats;

        var set = SpecReader.Read(text);

        set.Errors.ShouldBeEmpty();
        set.Agents.ShouldHaveSingleItem().Name.ShouldBe("summarizer");
        set.Workflows.ShouldHaveSingleItem().Name.ShouldBe("word-stats");
    }

    [Fact]
    public void Read_SameNameForAgentAndWorkflow_IsAllowedButTwoWorkflowsAreNot()
    {
        var agent = "apiVersion: berth/v1\nkind: Agent\nmetadata: { name: word-stats }\nspec: { image: local/echo:1 }\n---\n";

        SpecReader.Read(agent + WorkflowYaml.WordStats).Errors.ShouldBeEmpty();
        var twice = SpecReader.Read(WorkflowYaml.WordStats + "\n---\n" + WorkflowYaml.WordStats);
        twice.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("duplicate workflow name 'word-stats'");
        twice.Workflows.Count.ShouldBe(1);
    }

    [Fact]
    public void Read_InputsDefaultsSchedulesAndOptions_AreTyped()
    {
        var text = WorkflowYaml.With(
            """
                - id: fan
                  forEach: ${{ inputs.names }}
                  workflow: { name: child, inputs: { who: "${{ item }}", times: 2, loud: true } }
                  cache: { enabled: true, ttl: 1h }
                  continueOnError: true
                  when: ${{ inputs.go && inputs.count > 1 }}
            """,
            """
                count: { type: number, default: 3 }
                go: { type: boolean, default: false, description: Whether to go }
                names: { type: list, default: [a, "2"] }
                opts: { type: object, default: { deep: { x: 1.5 } } }
            """) + "\n  schedule:\n    - cron: \"0 0/5 * * * ?\"\n      inputs: { count: 7 }\n  timeout: 10m\n";

        var set = SpecReader.Read(text);

        set.Errors.ShouldBeEmpty();
        var workflow = set.Workflows.ShouldHaveSingleItem();
        workflow.Timeout.ShouldBe(TimeSpan.FromMinutes(10));
        workflow.Inputs["count"].Default!.ToJsonString().ShouldBe("3");
        workflow.Inputs["go"].ShouldBe(new WorkflowInputSpec { Type = InputType.Boolean, Default = workflow.Inputs["go"].Default, Description = "Whether to go" });
        workflow.Inputs["names"].Default!.ToJsonString().ShouldBe("""["a","2"]""");
        workflow.Inputs["opts"].Default!.ToJsonString().ShouldBe("""{"deep":{"x":1.5}}""");
        var schedule = workflow.Schedules.ShouldHaveSingleItem();
        schedule.Cron.ShouldBe("0 0/5 * * * ?");
        schedule.Inputs["count"]!.ToJsonString().ShouldBe("7");
        var fan = workflow.Steps.ShouldHaveSingleItem();
        fan.Kind.ShouldBe(StepKind.Workflow);
        fan.Workflow!.Inputs.ToDictionary(p => p.Key, p => p.Value!.ToJsonString()).ShouldBe(new Dictionary<string, string> { ["who"] = "\"${{ item }}\"", ["times"] = "2", ["loud"] = "true" });
        fan.Cache.ShouldBe(new StepCacheSpec { Enabled = true, Ttl = TimeSpan.FromHours(1) });
        fan.ContinueOnError.ShouldBeTrue();
        fan.When.ShouldBe("${{ inputs.go && inputs.count > 1 }}");
    }

    [Theory]
    [InlineData("      contaner: { image: x }", "spec.steps[0].contaner", "did you mean 'container'?")]
    [InlineData("      gadget: { id: x }", "spec.steps[0].gadget", "unknown field; expected one of id, container, agent, plugin, workflow")]
    [InlineData("      container: { image: x }\n      retry: { maxAttempts: many }", "spec.steps[0].retry.maxAttempts", "expected a number of attempts from 1 to 100, found 'many'")]
    [InlineData("      container: { image: x }\n      retry: { on: [transient, timout] }", "spec.steps[0].retry.on[1]", "did you mean 'timeout'?")]
    [InlineData("      container: { image: x }\n      retry: { backoff: fast }", "spec.steps[0].retry.backoff", "expected constant, linear or exponential, found 'fast'")]
    [InlineData("      container: { image: x, outptus: [/out] }", "spec.steps[0].container.outptus", "did you mean 'outputs'?")]
    [InlineData("      container: { image: x }\n      timeout: soon", "spec.steps[0].timeout", "expected a duration like 30s")]
    public void Read_BadStep_ReportsThePath(string step, string path, string message)
    {
        var set = SpecReader.Read(WorkflowYaml.With($"    - id: a\n{step}"));

        set.Workflows.ShouldBeEmpty();
        set.Errors.ShouldContain(e => e.Path == path && e.Message.Contains(message), string.Join("\n", set.Errors));
    }

    [Fact]
    public void Read_StepWithoutKind_SaysWhatIsRequired()
    {
        var set = SpecReader.Read(WorkflowYaml.With("    - id: a\n      timeout: 5s"));

        var error = set.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("spec.steps[0]");
        error.Message.ShouldStartWith("one of container, agent, plugin or workflow is required");
        error.Line.ShouldBe(8);
    }

    [Fact]
    public void Read_UnknownInputType_SuggestsTheClosest()
    {
        var set = SpecReader.Read(WorkflowYaml.With("    - id: a\n      container: { image: x }", "    n: { type: nubmer }"));

        set.Errors.ShouldHaveSingleItem().ToString().ShouldContain("spec.inputs.n.type (line 6, column 16): expected string, number, boolean, list or object, found 'nubmer'; did you mean 'number'?");
    }

    [Fact]
    public void Read_ValidationErrors_CarryTheirLine()
    {
        var set = SpecReader.Read(WorkflowYaml.With("    - id: a\n      container: { image: x }\n      retry: { maxAttempts: 0 }"));

        var error = set.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("spec.steps[0].retry.maxAttempts");
        error.Line.ShouldBe(10);
    }

    [Fact]
    public void Read_UnknownSpecField_SuggestsTheClosest()
    {
        var set = SpecReader.Read(WorkflowYaml.With("    - id: a\n      container: { image: x }") + "\n  concurency: 2\n");

        set.Errors.ShouldHaveSingleItem().ShouldBe(new SpecError("spec.concurency", "unknown field; did you mean 'concurrency'?", 10, 3));
    }

    [Fact]
    public void Read_BodyScalars_KeepTheirYamlTypes()
    {
        var set = SpecReader.Read(WorkflowYaml.With("    - id: a\n      agent: { name: x, body: { n: 1, s: \"1\", b: true, z: null, l: [1, two] } }"));

        set.Errors.ShouldBeEmpty();
        JsonNode.DeepEquals(set.Workflows[0].Steps[0].Agent!.Body, JsonNode.Parse("""{"n":1,"s":"1","b":true,"z":null,"l":[1,"two"]}""")).ShouldBeTrue();
    }
}
