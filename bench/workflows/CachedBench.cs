using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Bench.Workflows;

/// <summary>
/// (2) A workflow whose every step hits the cache: one run fills the cache (every step runs a container), then runs are timed
/// from POST /runs to <c>run.succeeded</c>. The chain is the hard case (each step waits for the one before); the independent
/// variant lets every step be looked up at once.
/// </summary>
internal sealed class CachedBench(BenchOptions options, TimedRuns runs, Report report)
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public async Task RunAsync(bool chain, CancellationToken cancellationToken)
    {
        var steps = options.CachedSteps;
        var shape = chain ? "chain" : "independent steps";
        var spec = chain
            ? BenchSpecs.Chain("bench-cached-chain", options.Image, steps, cache: true)
            : BenchSpecs.Independent("bench-cached-independent", options.Image, steps);
        await runs.ApplyAsync(spec, cancellationToken);

        var busy = await MachineLoad.BusyPercentAsync(cancellationToken);
        report.Note($"cached {shape} of {steps}: CPU busy with other work just before: {(busy is null ? "?" : $"{busy}%")}");
        report.Note($"cached {shape} of {steps}: one run to fill the cache (runs {steps} containers), one warm-up, then {options.Repeat} timed runs");
        var fill = await RunAsync(spec, StepState.Succeeded, FillTimeout, cancellationToken);
        report.Note($"filling run: {Figures.Ms(fill.Elapsed)}");
        await RunAsync(spec, StepState.Cached, RunTimeout, cancellationToken);
        var timed = new List<TimedRun>();
        for (var i = 0; i < options.Repeat; i++)
        {
            timed.Add(await RunAsync(spec, StepState.Cached, RunTimeout, cancellationToken));
            report.Note($"run {i + 1}: {Figures.Ms(timed[^1].Elapsed)}");
        }

        var walls = timed.Select(r => r.Elapsed.TotalMilliseconds).ToList();
        var wall = Figures.Median(walls);
        var median = timed.OrderBy(r => r.Elapsed).ElementAt(timed.Count / 2);
        var label = chain ? "(2) cached chain" : "(2b) cached independent";
        report.Section($"{label} of {steps} steps: every step cached (median of {options.Repeat} after a filling run and a warm-up)");
        report.Line($"CPU busy with other work just before  {(busy is null ? "unknown" : $"{busy}%")}");
        report.Line($"berth run, POST to run.succeeded      {Figures.Ms(wall)}  (runs: {Figures.List(walls)} ms; {Figures.Ms(wall / steps)} per step)");
        report.Line($"filling run (every step a container)  {Figures.Ms(fill.Elapsed)}");
        report.Line($"events per run                        {median.Events}");
        if (chain)
        {
            report.Line("where the median run's time went:");
            foreach (var line in RunTimeline.Of(median.Run).Describe(median.Elapsed))
            {
                report.Line("  " + line);
            }

            var inspect = await ImageInspectProbe.MedianMsAsync(options.Image, cancellationToken);
            report.Line($"  of each step's time: one image inspect on the engine (GET /images/{{name}}/json), median {Figures.Ms(inspect)} alone");
        }
        else
        {
            var server = median.Run.FinishedAt!.Value - median.Run.CreatedAt;
            report.Line($"server, createdAt -> finishedAt      {Figures.Ms(server)}; client wall minus server time {Figures.Ms(median.Elapsed - server)}");
        }

        var slowest = timed.MaxBy(r => r.Elapsed)!;
        var slow = RunTimeline.Of(slowest.Run);
        report.Line($"slowest run                           {Figures.Ms(slowest.Elapsed)}: server {Figures.Ms(slow.Server)}, of which {Figures.Ms(slow.BeforeFirst)} before the first step started");
        report.Target($"{label} of {steps}, POST to succeeded", Figures.Ms(wall), "< 1 s", wall < 1_000);
    }

    private async Task<TimedRun> RunAsync(WorkflowSpec spec, StepState expected, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var run = (await runs.RunAsync(spec.Name, timeout.Token)).Expect(expected);
        if (spec.Name == "bench-cached-chain")
        {
            var last = run.Stdout(BenchSpecs.StepId(options.CachedSteps));
            var want = Enumerable.Range(1, options.CachedSteps).Aggregate("", (previous, k) => BenchSpecs.ChainStdout(k, previous));
            if (last != want)
            {
                throw new BenchException($"the cached chain's last step gave '{last[..Math.Min(80, last.Length)]}…', not what the chain prints");
            }
        }

        return run;
    }
}
