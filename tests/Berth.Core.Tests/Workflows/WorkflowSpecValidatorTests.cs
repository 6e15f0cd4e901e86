using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Specs;

namespace Berth.Core.Tests.Workflows;

public sealed class WorkflowSpecValidatorTests
{
    private static StepSpec Run(string id, params string[] dependsOn) =>
        new() { Id = id, Container = new ContainerStepSpec { Image = "local/busybox:1" }, DependsOn = dependsOn };

    private static StepSpec Files(string id, string content) =>
        Run(id) with { Container = new ContainerStepSpec { Image = "local/busybox:1", Files = new Dictionary<string, string> { ["/in/x"] = content } } };

    private static WorkflowSpec Workflow(params StepSpec[] steps) => new()
    {
        Name = "wf",
        Inputs = new Dictionary<string, WorkflowInputSpec> { ["text"] = new() { Required = true }, ["items"] = new() { Type = InputType.List, Default = new JsonArray(1, 2) } },
        Steps = steps,
    };

    private static void ShouldReport(WorkflowSpec spec, string path, string message)
    {
        var errors = WorkflowSpecValidator.Validate(spec);
        errors.ShouldContain(e => e.Path == path && e.Message.Contains(message), string.Join("\n", errors));
    }

    [Fact]
    public void Validate_WordStatsExample_HasNoErrors() =>
        WorkflowSpecValidator.Validate(SpecReader.Read(WorkflowYaml.WordStats).Workflows[0]).ShouldBeEmpty();

    [Fact]
    public void Validate_TwoStepCycle_NamesTheCycleAtTheClosingStep() =>
        WorkflowSpecValidator.Validate(Workflow(Run("a", "b"), Run("b", "a")))
            .ShouldHaveSingleItem().ShouldBe(new SpecError("spec.steps[1].dependsOn", "cycle a → b → a; a step cannot need itself through others"));

    [Fact]
    public void Validate_CycleThroughAnExpression_NamesTheExpressionField() =>
        ShouldReport(Workflow(Run("a", "c"), Files("b", "${{ steps.a.stdout }}"), Run("c", "b")), "spec.steps[1].container.files['/in/x']", "cycle a → c → b → a");

    [Fact]
    public void Validate_CycleClosedByExpression_PointsAtTheFile() =>
        ShouldReport(Workflow(Files("a", "${{ steps.b.stdout }}"), Run("b", "a")), "spec.steps[1].dependsOn", "cycle a → b → a");

    [Fact]
    public void Validate_MissingStepInExpression_SuggestsTheClosest() =>
        ShouldReport(Workflow(Run("split"), Files("count", "${{ steps.splt.files['/out/w'] }}")), "spec.steps[1].container.files['/in/x']", "steps.splt: unknown step 'splt'; did you mean 'split'?");

    [Fact]
    public void Validate_OwnOutputs_AreAnError() =>
        ShouldReport(Workflow(Files("a", "${{ steps.a.stdout }}")), "spec.steps[0].container.files['/in/x']", "a step cannot use its own outputs");

    [Fact]
    public void Validate_UnknownDependsOn_And_Self_AreErrors()
    {
        ShouldReport(Workflow(Run("a", "nope")), "spec.steps[0].dependsOn[0]", "unknown step 'nope'");
        ShouldReport(Workflow(Run("a", "a")), "spec.steps[0].dependsOn[0]", "a step cannot depend on itself");
    }

    [Fact]
    public void Validate_UndeclaredInput_IsAnError() =>
        ShouldReport(Workflow(Files("a", "${{ inputs.txt }}")), "spec.steps[0].container.files['/in/x']", "inputs.txt: unknown input; did you mean 'text'?");

    [Fact]
    public void Validate_MalformedExpression_NamesThePosition() =>
        ShouldReport(Workflow(Files("a", "x ${{ foo }}")), "spec.steps[0].container.files['/in/x']", "at position 7: unknown name 'foo'");

    [Fact]
    public void Validate_ItemOutsideForEach_IsAnError()
    {
        ShouldReport(Workflow(Files("a", "${{ item }}")), "spec.steps[0].container.files['/in/x']", "only set in a step with forEach");
        WorkflowSpecValidator.Validate(Workflow(Files("a", "${{ item }}-${{ index }}") with { ForEach = "${{ inputs.items }}" })).ShouldBeEmpty();
        ShouldReport(Workflow(Run("a") with { ForEach = "list: ${{ inputs.items }}" }), "spec.steps[0].forEach", "expected one expression giving a list");
    }

    [Fact]
    public void Validate_ForEachOnEveryKind_IsAllowed()
    {
        var agent = new StepSpec { Id = "b", Agent = new AgentStepSpec { Name = "x", Body = new JsonObject { ["v"] = "${{ item }}" } }, ForEach = "${{ inputs.items }}" };
        var child = new StepSpec { Id = "c", Workflow = new ChildWorkflowStepSpec { Name = "other", Inputs = new Dictionary<string, JsonNode?> { ["v"] = "${{ index }}" } }, ForEach = "${{ inputs.items }}" };

        WorkflowSpecValidator.Validate(Workflow(Run("a") with { ForEach = "${{ inputs.items }}" }, agent, child)).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_IdsAndKinds_AreChecked()
    {
        ShouldReport(Workflow(Run("Bad_Id")), "spec.steps[0].id", "'Bad_Id' is not valid");
        ShouldReport(Workflow(Run("a"), Run("a")), "spec.steps[1].id", "duplicate step id 'a'; spec.steps[0] already has it");
        ShouldReport(Workflow(Run("a") with { Agent = new AgentStepSpec { Name = "x" } }), "spec.steps[0]", "exactly one of container, agent, plugin or workflow may be set, found container and agent");
        ShouldReport(Workflow(new StepSpec { Id = "a" }), "spec.steps[0]", "one of container, agent, plugin or workflow is required");
    }

    [Fact]
    public void Validate_PathsMustBeAbsolute()
    {
        var container = new ContainerStepSpec { Image = "x", Files = new Dictionary<string, string> { ["in/x"] = "" }, Outputs = ["out"], Workdir = "work" };
        var spec = Workflow(Run("a") with { Container = container });

        ShouldReport(spec, "spec.steps[0].container.files['in/x']", "expected an absolute path");
        ShouldReport(spec, "spec.steps[0].container.outputs[0]", "expected an absolute path inside the container like /out, found 'out'");
        ShouldReport(spec, "spec.steps[0].container.workdir", "expected an absolute path like /work");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Validate_ConcurrencyOutOfRange_IsAnError(int concurrency) =>
        ShouldReport(Workflow(Run("a")) with { Concurrency = concurrency }, "spec.concurrency", $"expected a number of steps from 1 to 64, found {concurrency}");

    [Fact]
    public void Validate_RetryBounds_AreChecked()
    {
        ShouldReport(Workflow(Run("a") with { Retry = new StepRetrySpec { MaxAttempts = 101 } }), "spec.steps[0].retry.maxAttempts", "from 1 to 100, found 101");
        ShouldReport(Workflow(Run("a") with { Retry = new StepRetrySpec { InitialDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromSeconds(30) } }), "spec.steps[0].retry.maxDelay", "expected at least initialDelay (1m), found 30s");
        ShouldReport(Workflow(Run("a") with { Retry = new StepRetrySpec { On = [(ErrorClass)42] } }), "spec.steps[0].retry.on[0]", "unknown error class");
        ShouldReport(Workflow(Run("a") with { Timeout = TimeSpan.Zero }), "spec.steps[0].timeout", "expected a positive duration");
    }

    [Fact]
    public void Validate_InputDefaults_MatchTheirType()
    {
        var spec = Workflow(Run("a")) with
        {
            Inputs = new Dictionary<string, WorkflowInputSpec>
            {
                ["count"] = new() { Type = InputType.Number, Default = "abc" },
                ["must"] = new() { Required = true, Default = "x" },
                ["bad name"] = new(),
            },
        };

        ShouldReport(spec, "spec.inputs.count.default", "the default of a number input must be a number, got \"abc\"");
        ShouldReport(spec, "spec.inputs.must.default", "a required input has no default");
        ShouldReport(spec, "spec.inputs['bad name']", "is not a valid input name");
    }

    [Fact]
    public void Validate_Schedules_CheckCronAndInputs()
    {
        var spec = Workflow(Run("a")) with
        {
            Schedules =
            [
                new ScheduleSpec { Cron = "0 0/5 * * * ?", Inputs = new Dictionary<string, JsonNode?> { ["text"] = "hi" } },
                new ScheduleSpec { Cron = "0 0 3 ? * 0", Inputs = new Dictionary<string, JsonNode?> { ["text"] = 3 } },
            ],
        };

        var errors = WorkflowSpecValidator.Validate(spec);

        errors.Select(e => e.Path).ShouldBe(["spec.schedule[1].cron", "spec.schedule[1].inputs.text"]);
        errors[0].Message.ShouldStartWith("'0 0 3 ? * 0' is not a valid cron expression: Days of week:");
        errors[1].Message.ShouldBe("expected a string, got 3");
    }

    [Fact]
    public void Validate_ScheduleMissingRequiredInput_IsAnError() =>
        ShouldReport(Workflow(Run("a")) with { Schedules = [new ScheduleSpec { Cron = "0 0 * * * ?" }] }, "spec.schedule[0].inputs.text", "required; expected a string");

    [Fact]
    public void Validate_AgentAndChildWorkflow_AreChecked()
    {
        ShouldReport(Workflow(new StepSpec { Id = "a", Agent = new AgentStepSpec { Name = "x", Path = "nope" } }), "spec.steps[0].agent.path", "starting with '/'");
        ShouldReport(Workflow(new StepSpec { Id = "a", Agent = new AgentStepSpec { Name = "x", Method = "post" } }), "spec.steps[0].agent.method", "expected an HTTP method");
        ShouldReport(Workflow(new StepSpec { Id = "a", Workflow = new ChildWorkflowStepSpec { Name = "wf" } }), "spec.steps[0].workflow.name", "cannot run itself");
    }
}
