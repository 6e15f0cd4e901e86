namespace Berth.Bench.Workflows;

/// <summary>
/// A chain's containers seen by the engine, averaged per step: the client's gap (one container removed → the next created),
/// create → start, start → die (the command itself), die → removed. Both setups are measured the same way, so the phases
/// say where Berth spends more than <c>docker run</c>.
/// </summary>
internal sealed record ChainPhases(double GapMs, double CreateToStartMs, double StartToDieMs, double DieToDestroyMs, double FirstCreateMs, double AfterLastMs)
{
    /// <summary>Phases of one chain run; <paramref name="clientStart"/> and <paramref name="clientEnd"/> are when the client began and saw the end.</summary>
    public static ChainPhases Of(IEnumerable<ContainerEvents> chain, DateTimeOffset clientStart, DateTimeOffset clientEnd, int steps)
    {
        var containers = chain.OrderBy(c => c.Create).ToList();
        if (containers.Count != steps || containers.Any(c => !c.Complete))
        {
            throw new BenchException($"docker events show {containers.Count} containers ({containers.Count(c => c.Complete)} with create, start, die and destroy) for a chain of {steps}");
        }

        static double Mean(IEnumerable<TimeSpan> values) => values.Select(v => v.TotalMilliseconds).DefaultIfEmpty(0).Average();
        return new ChainPhases(
            Mean(containers.Skip(1).Select((c, i) => c.Create!.Value - containers[i].Destroy!.Value)),
            Mean(containers.Select(c => c.Start!.Value - c.Create!.Value)),
            Mean(containers.Select(c => c.Die!.Value - c.Start!.Value)),
            Mean(containers.Select(c => c.Destroy!.Value - c.Die!.Value)),
            (containers[0].Create!.Value - clientStart).TotalMilliseconds,
            (clientEnd - containers[^1].Destroy!.Value).TotalMilliseconds);
    }

    /// <summary>Per-phase medians over several runs.</summary>
    public static ChainPhases Median(IReadOnlyList<ChainPhases> runs) => new(
        Figures.Median(runs.Select(r => r.GapMs)),
        Figures.Median(runs.Select(r => r.CreateToStartMs)),
        Figures.Median(runs.Select(r => r.StartToDieMs)),
        Figures.Median(runs.Select(r => r.DieToDestroyMs)),
        Figures.Median(runs.Select(r => r.FirstCreateMs)),
        Figures.Median(runs.Select(r => r.AfterLastMs)));
}
