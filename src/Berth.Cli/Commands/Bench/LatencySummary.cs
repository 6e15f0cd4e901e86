namespace Berth.Cli.Commands.Bench;

/// <summary>Latency percentiles in milliseconds, exact (nearest rank over every sample).</summary>
internal sealed record LatencySummary(double Min, double Mean, double P50, double P95, double P99, double Max)
{
    /// <summary>The summary of <paramref name="samples"/> (sorted in place); null when there are none.</summary>
    public static LatencySummary? Of(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return null;
        }

        samples.Sort();
        return new LatencySummary(
            Round(samples[0]), Round(samples.Average()), Round(Rank(samples, 50)), Round(Rank(samples, 95)), Round(Rank(samples, 99)), Round(samples[^1]));
    }

    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="percent"/>% of samples at or below it.</summary>
    internal static double Rank(IReadOnlyList<double> sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Round(double value) => Math.Round(value, 3);
}
