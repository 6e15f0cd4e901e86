using System.Globalization;
using Berth.Core.Workflows.Runs;

namespace Berth.Bench.Workflows;

/// <summary>
/// (1) A chain of container steps, caching off, against the same commands as back-to-back <c>docker run --rm</c>. Besides the
/// wall times it reads the engine's container events for every measured run of both, so the per-step phases can be compared.
/// </summary>
internal sealed class ChainBench(BenchOptions options, TimedRuns runs, DockerChain docker, Report report)
{
    private const string Workflow = "bench-chain";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var steps = options.ChainSteps;
        var expected = Enumerable.Range(1, steps).Aggregate("", (previous, k) => BenchSpecs.ChainStdout(k, previous));
        await runs.ApplyAsync(BenchSpecs.Chain(Workflow, options.Image, steps, cache: false), cancellationToken);

        var busy = await MachineLoad.BusyPercentAsync(cancellationToken);
        report.Note($"chain of {steps}: CPU busy with other work just before: {(busy is null ? "?" : $"{busy}%")}");
        report.Note($"warm-up (one Berth run, one docker chain), then {options.Repeat} of each, alternating which goes first");
        await BerthAsync(expected, cancellationToken);
        await DockerAsync(expected, "warm-up", cancellationToken);
        var berth = new List<TimedRun>();
        var plain = new List<DockerChainRun>();
        using var events = DockerEvents.Follow(options.Docker, TimeProvider.System.GetUtcNow() - TimeSpan.FromSeconds(1));
        for (var i = 0; i < options.Repeat; i++)
        {
            var key = $"{Guid.NewGuid():N}"[..12];
            if (i % 2 == 0)
            {
                berth.Add(await BerthAsync(expected, cancellationToken));
                plain.Add(await DockerAsync(expected, key, cancellationToken));
            }
            else
            {
                plain.Add(await DockerAsync(expected, key, cancellationToken));
                berth.Add(await BerthAsync(expected, cancellationToken));
            }

            report.Note($"run {i + 1}: berth {Figures.Ms(berth[^1].Elapsed)}, docker run {Figures.Ms(plain[^1].Elapsed)}");
        }

        var berthWalls = berth.Select(r => r.Elapsed.TotalMilliseconds).ToList();
        var dockerWalls = plain.Select(r => r.Elapsed.TotalMilliseconds).ToList();
        var berthMs = Figures.Median(berthWalls);
        var dockerMs = Figures.Median(dockerWalls);
        var ratio = berthMs / dockerMs;
        var median = berth.OrderBy(r => r.Elapsed).ElementAt(berth.Count / 2);
        var timeline = RunTimeline.Of(median.Run);

        report.Section($"(1) chain of {steps} container steps, caching off, data passed by ${{{{ steps.prev.stdout }}}} (median of {options.Repeat} after a warm-up)");
        report.Line($"CPU busy with other work just before  {(busy is null ? "unknown" : $"{busy}%")}");
        report.Line($"berth run, POST to run.succeeded      {Figures.Ms(berthMs)}  (runs: {Figures.List(berthWalls)} ms)");
        report.Line($"{steps} x docker run --rm back to back     {Figures.Ms(dockerMs)}  (runs: {Figures.List(dockerWalls)} ms)");
        report.Line($"ratio berth / docker run              {Figures.Ratio(ratio)}");
        report.Line($"the median Berth run by its step timestamps ({median.Events} events):");
        foreach (var line in timeline.Describe(median.Elapsed))
        {
            report.Line("  " + line);
        }

        PhasesOf(await events.StopAsync(TimeSpan.FromSeconds(1), cancellationToken), berth, plain);
        report.Target($"(1) chain of {steps}, berth / docker run", Figures.Ratio(ratio), "<= 1.10x", ratio <= 1.10);
    }

    /// <summary>Per-step phases of both setups from the engine's events (medians over the measured runs).</summary>
    private void PhasesOf(IReadOnlyList<ContainerEvents> events, List<TimedRun> berth, List<DockerChainRun> plain)
    {
        var ours = ChainPhases.Median(berth.Select(r => ChainPhases.Of(
            events.Where(e => e.Labels.GetValueOrDefault("berth.run") == r.Run.Id), r.StartedAt, r.EndedAt, options.ChainSteps)).ToList());
        var theirs = ChainPhases.Median(plain.Select(r => ChainPhases.Of(
            events.Where(e => e.Labels.GetValueOrDefault(DockerChain.Label) == r.Key), r.StartedAt, r.EndedAt, options.ChainSteps)).ToList());

        report.Line("per step, from the engine's container events (mean per step, median over the runs):");
        report.Line($"  {"phase",-56} {"berth",10} {"docker run",11}");
        Row("client: previous container removed -> next created", ours.GapMs, theirs.GapMs);
        Row("engine: create -> start (docker run: attach between)", ours.CreateToStartMs, theirs.CreateToStartMs);
        Row("engine: start -> die (the command runs)", ours.StartToDieMs, theirs.StartToDieMs);
        Row("engine: die -> removed (Berth: logs, inspect, DELETE)", ours.DieToDestroyMs, theirs.DieToDestroyMs);
        Row("once: client start -> first container created", ours.FirstCreateMs, theirs.FirstCreateMs);
        Row("once: last container removed -> client sees the end", ours.AfterLastMs, theirs.AfterLastMs);
    }

    private void Row(string phase, double berthMs, double dockerMs) =>
        report.Line($"  {phase,-56} {Figures.Ms(berthMs),10} {Figures.Ms(dockerMs),11}  ({(berthMs - dockerMs).ToString("+0.0;-0.0", CultureInfo.InvariantCulture)} ms)");

    private async Task<TimedRun> BerthAsync(string expected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        var run = (await runs.RunAsync(Workflow, timeout.Token)).Expect(StepState.Succeeded);
        var last = run.Stdout(BenchSpecs.StepId(options.ChainSteps));
        return last == expected
            ? run
            : throw new BenchException($"the chain's last step printed '{last}', expected '{expected}': data did not pass along the chain");
    }

    private async Task<DockerChainRun> DockerAsync(string expected, string key, CancellationToken cancellationToken)
    {
        var (run, last) = await docker.RunAsync(options.ChainSteps, key, cancellationToken);
        return last == expected
            ? run
            : throw new BenchException($"the docker chain's last command printed '{last}', expected '{expected}'");
    }
}
