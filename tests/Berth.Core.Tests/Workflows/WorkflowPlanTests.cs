using Berth.Core.Workflows;
using Berth.Core.Workflows.Planning;

namespace Berth.Core.Tests.Workflows;

public sealed class WorkflowPlanTests
{
    private static StepSpec Step(string id, string? file = null, params string[] dependsOn) => new()
    {
        Id = id,
        
        Container = new ContainerStepSpec { Image = "x", Files = file is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["/in"] = file } },
        DependsOn = dependsOn,
    };

    private static WorkflowSpec Workflow(params StepSpec[] steps) => new() { Name = "wf", Steps = steps };

    [Fact]
    public void Create_ExpressionsAndDependsOn_OrderTheSteps()
    {
        var plan = WorkflowPlan.Create(Workflow(
            Step("report", "${{ steps.count.stdout }}", "lint"),
            Step("count", "${{ steps.split.files['/out/w'] }}"),
            Step("split"),
            Step("lint")));

        plan.Steps.Select(s => s.Spec.Id).ShouldBe(["split", "count", "lint", "report"]);
        plan["report"].Needs.ShouldBe(["count", "lint"], ignoreOrder: true);
        plan["report"].Index.ShouldBe(0);
        plan["split"].Needs.ShouldBeEmpty();
        plan.DependentsOf("split").ShouldBe(["count"]);
        plan.DependentsOf("report").ShouldBeEmpty();
        plan.Downstream("split").ShouldBe(["count", "report"], ignoreOrder: true);
        plan.Downstream("lint").ShouldBe(["report"]);
    }

    [Fact]
    public void Create_IndependentSteps_KeepSpecOrder() =>
        WorkflowPlan.Create(Workflow(Step("c"), Step("a"), Step("b"))).Steps.Select(s => s.Spec.Id).ShouldBe(["c", "a", "b"]);

    [Fact]
    public void Create_Cycle_ThrowsNamingIt() =>
        Should.Throw<ArgumentException>(() => WorkflowPlan.Create(Workflow(Step("a", null, "b"), Step("b", "${{ steps.a.stdout }}"))))
            .Message.ShouldContain("a → b → a");

    [Fact]
    public void Create_ThousandStepDag_PlansInOrder()
    {
        var steps = new List<StepSpec>();
        for (var i = 0; i < 1000; i++)
        {
            // Each step needs up to three earlier ones, listed in reverse so that spec order alone would be wrong.
            var needs = Enumerable.Range(1, 3).Where(k => i - (k * 7) >= 0).Select(k => $"s{999 - (i - (k * 7))}").ToArray();
            steps.Add(Step($"s{999 - i}", needs.Length > 0 ? $"${{{{ steps.{needs[0]}.stdout }}}}" : null, needs.Skip(1).ToArray()));
        }

        steps.Reverse();
        var spec = Workflow([.. steps]);

        var plan = WorkflowPlan.Create(spec);

        var position = plan.Steps.Select((s, i) => (s.Spec.Id, i)).ToDictionary(p => p.Id, p => p.i);
        plan.Steps.Count.ShouldBe(1000);
        plan.Steps.ShouldAllBe(s => s.Needs.All(n => position[n] < position[s.Spec.Id]));
    }
}
