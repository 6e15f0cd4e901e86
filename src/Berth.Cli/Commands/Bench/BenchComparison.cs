namespace Berth.Cli.Commands.Bench;

/// <summary><c>berth bench A --compare B -o json</c>: both runs, and B's figures over A's.</summary>
internal sealed record BenchComparison(BenchReport Baseline, BenchReport Candidate, BenchRatio Ratio);
