namespace Berth.Cli.Commands.Bench;

/// <summary>The candidate's figure over the baseline's (2 = twice as high); null where either side has no figure or the baseline's is 0.</summary>
internal sealed record BenchRatio(double? P50, double? P95, double? P99, double? Max, double? Throughput, double? SuccessRate, double? ColdStart, double? TokensPerRequest)
{
    public static BenchRatio Of(BenchReport baseline, BenchReport candidate) => new(
        Divide(candidate.LatencyMs?.P50, baseline.LatencyMs?.P50),
        Divide(candidate.LatencyMs?.P95, baseline.LatencyMs?.P95),
        Divide(candidate.LatencyMs?.P99, baseline.LatencyMs?.P99),
        Divide(candidate.LatencyMs?.Max, baseline.LatencyMs?.Max),
        Divide(candidate.Throughput, baseline.Throughput),
        Divide(candidate.SuccessRate, baseline.SuccessRate),
        Divide(candidate.ColdStart?.FirstRequestMs, baseline.ColdStart?.FirstRequestMs),
        Divide(candidate.Tokens?.TotalTokens, baseline.Tokens?.TotalTokens));

    internal static double? Divide(double? over, double? under) =>
        over is { } a && under is { } b && b > 0 ? Math.Round(a / b, 3) : null;
}
