using System.Diagnostics;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Planning;
using Berth.Core.Workflows.Specs;

namespace Berth.Bench.Workflows;

/// <summary>(3) Planning and validating a large DAG in-process: <see cref="WorkflowPlan.Create"/> and <see cref="WorkflowSpecValidator.Validate"/>.</summary>
internal sealed class PlanningBench(BenchOptions options, Report report)
{
    private const int WarmUp = 50;

    public void Run()
    {
        var steps = options.PlanSteps;
        var spec = BenchSpecs.Dag("plan-bench", options.Image, steps);
        var errors = WorkflowSpecValidator.Validate(spec);
        if (errors.Count > 0)
        {
            throw new BenchException($"the generated {steps}-step DAG does not validate: {errors[0].Path}: {errors[0].Message}");
        }

        var plan = WorkflowPlan.Create(spec);
        if (plan.Steps.Count != steps)
        {
            throw new BenchException($"the plan has {plan.Steps.Count} steps, expected {steps}");
        }

        var needs = plan.Steps.Sum(s => s.Needs.Count);
        var depth = Depth(plan);
        report.Note($"planning {steps} steps: {WarmUp} warm-up calls, then {options.PlanIterations} timed calls of each");
        var create = Measure(() => WorkflowPlan.Create(spec));
        var validate = Measure(() => WorkflowSpecValidator.Validate(spec));

        // A second size shows how the cost grows (the plan claims O(steps + needs · log steps)).
        var bigger = BenchSpecs.Dag("plan-bench", options.Image, steps * 4);
        var createBigger = Measure(() => WorkflowPlan.Create(bigger), Math.Max(20, options.PlanIterations / 4));

        report.Section($"(3) planning a {steps}-step DAG in-process ({needs} dependencies, critical path {depth} steps; chains, fan-in and fan-out)");
        report.Line($"WorkflowPlan.Create                   median {Figures.Us(create.Median)}, p90 {Figures.Us(create.P90)}, min {Figures.Us(create.Min)}; {Figures.Number(create.AllocatedKb)} KB allocated, {create.Collections}");
        report.Line($"WorkflowSpecValidator.Validate        median {Figures.Us(validate.Median)}, p90 {Figures.Us(validate.P90)}, min {Figures.Us(validate.Min)}; {Figures.Number(validate.AllocatedKb)} KB allocated, {validate.Collections}");
        report.Line($"WorkflowPlan.Create, {steps * 4} steps        median {Figures.Us(createBigger.Median)} ({Figures.Ratio(createBigger.Median / create.Median)} the time for 4x the steps); {Figures.Number(createBigger.AllocatedKb)} KB allocated, {createBigger.Collections}");
        report.Line($"({options.PlanIterations} timed calls each after {WarmUp} warm-up calls, one thread, server idle)");
    }

    private Timing Measure(Func<object> action, int? iterations = null)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            GC.KeepAlive(action());
        }

        var count = iterations ?? options.PlanIterations;
        var micros = new List<double>(count);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            GC.KeepAlive(action());
            micros.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count / 1024;
        var gen0PerCall = (GC.CollectionCount(0) - gen0) / (double)count;
        var gen2PerCall = (GC.CollectionCount(2) - gen2) / (double)count;
        return new Timing(Figures.Median(micros), Figures.Percentile(micros, 90), micros.Min(), allocated, gen0PerCall, gen2PerCall);
    }

    /// <summary>Steps on the longest path of needs.</summary>
    private static int Depth(WorkflowPlan plan)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            depth[step.Spec.Id] = 1 + step.Needs.Select(n => depth[n]).DefaultIfEmpty(0).Max();
        }

        return depth.Values.Max();
    }

    private sealed record Timing(double Median, double P90, double Min, double AllocatedKb, double Gen0PerCall, double Gen2PerCall)
    {
        public string Collections => $"{Figures.Number(Gen0PerCall, "0.00")} gen0 / {Figures.Number(Gen2PerCall, "0.00")} gen2 collections per call";
    }
}
