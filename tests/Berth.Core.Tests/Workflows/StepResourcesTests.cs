using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Specs;

namespace Berth.Core.Tests.Workflows;

public sealed class StepResourcesTests
{
    private const string MemoryPath = "spec.steps[0].container.resources.memory";
    private const string CpusPath = "spec.steps[0].container.resources.cpus";

    private static SpecSet ReadStep(string container) => SpecReader.Read(WorkflowYaml.With($"    - id: a\n      container:\n{container}"));

    private static WorkflowSpec Limited(ResourceSpec? resources) => new()
    {
        Name = "wf",
        Steps = [new StepSpec { Id = "a", Container = new ContainerStepSpec { Image = "local/busybox:1", Resources = resources } }],
    };

    [Fact]
    public void Read_ContainerResources_GivesMemoryInBytesAndCpusInCores()
    {
        var set = ReadStep("        image: x\n        resources: { memory: 256Mi, cpus: 500m }");

        set.Errors.ShouldBeEmpty();
        set.Workflows.ShouldHaveSingleItem().Steps[0].Container!.Resources.ShouldBe(new ResourceSpec { MemoryBytes = 256L << 20, Cpus = 0.5 });
    }

    [Fact]
    public void Read_NoResources_LeavesTheStepWithoutLimits() =>
        ReadStep("        image: x").Workflows.ShouldHaveSingleItem().Steps[0].Container!.Resources.ShouldBeNull();

    [Fact]
    public void Read_MemoryBelowDockersMinimum_NamesTheStepsMemoryWithItsLine()
    {
        var set = ReadStep("        image: x\n        resources:\n          memory: 1Mi");

        set.Workflows.ShouldBeEmpty();
        var error = set.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe(MemoryPath);
        error.Message.ShouldBe("1Mi is too small; expected at least 6Mi (Docker's minimum), like 512Mi");
        error.Line.ShouldBe(12);
    }

    [Theory]
    [InlineData("resources: { cpus: 0 }", CpusPath, "expected cores like 0.5 or 2, or millicores like 500m, found '0'")]
    [InlineData("resources: { memory: lots }", MemoryPath, "expected a size like 512Mi or 2Gi, found 'lots'")]
    [InlineData("resources: { memroy: 1Gi }", "spec.steps[0].container.resources.memroy", "did you mean 'memory'?")]
    [InlineData("resources: 512Mi", "spec.steps[0].container.resources", "expected a mapping with memory, cpus")]
    public void Read_BadResources_ReportsThePathUnderTheContainer(string resources, string path, string message)
    {
        var set = ReadStep($"        image: x\n        {resources}");

        set.Workflows.ShouldBeEmpty();
        set.Errors.ShouldContain(e => e.Path == path && e.Message.Contains(message), string.Join("\n", set.Errors));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Validate_CpusNotPositive_NamesTheStepsCpus(double cpus) =>
        WorkflowSpecValidator.Validate(Limited(new ResourceSpec { Cpus = cpus }))
            .ShouldHaveSingleItem().ShouldBe(new SpecError(CpusPath, "must be more than zero; expected cores like 0.5 or 2, or millicores like 500m"));

    [Fact]
    public void Validate_SameLimitsOnAgentAndStep_SameMessages()
    {
        var bad = new ResourceSpec { MemoryBytes = 1L << 20, Cpus = 0 };

        var agent = AgentSpecValidator.Validate(new AgentSpec { Name = "a", Image = "local/busybox:1", Resources = bad });
        var step = WorkflowSpecValidator.Validate(Limited(bad));

        step.Select(e => e.Message).ShouldBe(agent.Select(e => e.Message));
        step.Select(e => e.Path).ShouldBe([MemoryPath, CpusPath]);
    }

    [Fact]
    public void Validate_SixMebibytes_IsAccepted() =>
        WorkflowSpecValidator.Validate(Limited(new ResourceSpec { MemoryBytes = AgentSpecValidator.MinimumMemoryBytes })).ShouldBeEmpty();

    [Theory]
    [InlineData(768L << 20, 1.5)]
    [InlineData(100_000_000L, 0.3333333)]
    [InlineData(2L << 30, null)]
    [InlineData(null, 0.25)]
    [InlineData(null, null)]
    public void ToYaml_StepResources_ReadsBackEqual(long? memory, double? cpus)
    {
        var spec = Limited(new ResourceSpec { MemoryBytes = memory, Cpus = cpus });

        var yaml = SpecWriter.ToYaml(spec);
        var set = SpecReader.Read(yaml);

        set.Errors.ShouldBeEmpty(yaml);
        set.Workflows.ShouldHaveSingleItem().Steps[0].Container!.Resources.ShouldBe(spec.Steps[0].Container!.Resources, yaml);
        JsonSerializer.Serialize(set.Workflows[0], BerthJson.Options).ShouldBe(JsonSerializer.Serialize(spec, BerthJson.Options), yaml);
    }

    [Fact]
    public void ToYaml_NoResources_WritesNoResourcesField() =>
        SpecWriter.ToYaml(Limited(null)).ShouldNotContain("resources");
}
