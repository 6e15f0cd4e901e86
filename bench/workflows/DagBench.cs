using Berth.Core.Workflows.Runs;

namespace Berth.Bench.Workflows;

/// <summary>
/// (4) The planning part's 1,000-step DAG run on the server, fully cached: one run fills the cache (every step runs a
/// container), one warm-up, then runs timed from POST /runs to <c>run.succeeded</c>. Every step of a timed run must come
/// back <c>Cached</c> with the stdout the filling run stored. The figure is steps per second of the client's wall time, on
/// whichever store the server was started with (bench/scale-out runs it on SQLite and on PostgreSQL).
/// </summary>
internal sealed class DagBench(BenchOptions options, TimedRuns runs, Report report)
{
    private const string Name = "bench-cached-dag";
    private static readonly TimeSpan FillTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var steps = options.DagSteps;
        var spec = BenchSpecs.Dag(Name, options.Image, steps);
        await runs.ApplyAsync(spec, cancellationToken);

        var busy = await MachineLoad.BusyPercentAsync(cancellationToken);
        report.Note($"cached DAG of {steps} on {options.Store}: CPU busy with other work just before: {(busy is null ? "?" : $"{busy}%")}");
        report.Note($"cached DAG of {steps} on {options.Store}: one run to fill the cache (runs {steps} containers, {spec.Concurrency} at a time), one warm-up, then {options.Repeat} timed runs");
        var fill = await RunAsync(null, FillTimeout, cancellationToken);
        var ran = fill.Steps.Count(s => s.State == StepState.Succeeded);
        report.Note($"filling run: {Figures.Ms(fill.Elapsed)}, {ran} steps ran a container");
        var stdout = fill.Steps.ToDictionary(s => s.Id, s => s.Outputs?.Stdout ?? "", StringComparer.Ordinal);
        Same(await RunAsync(StepState.Cached, RunTimeout, cancellationToken), stdout);
        var timed = new List<TimedRun>();
        for (var i = 0; i < options.Repeat; i++)
        {
            timed.Add(Same(await RunAsync(StepState.Cached, RunTimeout, cancellationToken), stdout));
            report.Note($"run {i + 1}: {Figures.Ms(timed[^1].Elapsed)}");
        }

        var walls = timed.Select(r => r.Elapsed.TotalMilliseconds).ToList();
        var wall = Figures.Median(walls);
        var median = timed.OrderBy(r => r.Elapsed).ElementAt(timed.Count / 2);
        var server = (median.Run.FinishedAt!.Value - median.Run.CreatedAt).TotalMilliseconds;
        var perSecond = steps / (wall / 1_000);
        report.Section($"(4) cached DAG of {steps} steps on {options.Store}: every step cached (median of {options.Repeat} after a filling run and a warm-up)");
        report.Line($"CPU busy with other work just before  {(busy is null ? "unknown" : $"{busy}%")}");
        report.Line($"berth run, POST to run.succeeded      {Figures.Ms(wall)}  (runs: {Figures.List(walls)} ms): {Figures.Number(perSecond)} steps/s");
        report.Line($"server, createdAt -> finishedAt       {Figures.Ms(server)} (median run): {Figures.Number(steps / (server / 1_000))} steps/s");
        report.Line($"filling run                           {Figures.Ms(fill.Elapsed)} ({ran} of {steps} steps ran a container; a step already cached, e.g. by an earlier run, is not run again)");
        report.Line($"events per run                        {median.Events}");
        if (options.FiguresFile is { } file)
        {
            await File.WriteAllLinesAsync(file,
            [
                $"store={options.Store}",
                $"steps={steps}",
                $"steps_per_s={Figures.Number(perSecond)}",
                $"median_ms={Figures.Number(wall)}",
                $"runs_ms={Figures.List(walls)}",
                $"server_ms={Figures.Number(server)}",
                $"fill_ms={Figures.Number(fill.Elapsed.TotalMilliseconds)}",
                $"fill_ran={ran}",
                $"busy_percent={(busy is null ? "?" : Figures.Number(busy.Value))}",
            ], cancellationToken);
        }
    }

    /// <summary>A run that must succeed with every step in <paramref name="expected"/>, or (null) each either run or cached.</summary>
    private async Task<TimedRun> RunAsync(StepState? expected, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var run = await runs.RunAsync(Name, timeout.Token);
        if (expected is { } state)
        {
            run.Expect(state);
        }
        else if (run.Steps.FirstOrDefault(s => s.State is not (StepState.Succeeded or StepState.Cached)) is { } wrong)
        {
            throw new BenchException($"run {run.Run.Id}: step {wrong.Id} is {wrong.State}, neither Succeeded nor Cached");
        }

        return run.Steps.Count == options.DagSteps
            ? run
            : throw new BenchException($"run {run.Run.Id} has {run.Steps.Count} steps, expected {options.DagSteps}");
    }

    /// <summary>A cached step must give back what the filling run stored for it.</summary>
    private static TimedRun Same(TimedRun run, Dictionary<string, string> stdout)
    {
        var wrong = run.Steps.FirstOrDefault(s => (s.Outputs?.Stdout ?? "") != stdout[s.Id]);
        return wrong is null
            ? run
            : throw new BenchException($"run {run.Run.Id}: cached step {wrong.Id} gave '{wrong.Outputs?.Stdout}', the filling run '{stdout[wrong.Id]}'");
    }
}
