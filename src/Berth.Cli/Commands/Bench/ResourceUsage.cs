namespace Berth.Cli.Commands.Bench;

/// <summary>The agent's resource use over the run, from about one sample a second (summed over its instances).</summary>
internal sealed record ResourceUsage(int Samples, double CpuPercentAvg, double CpuPercentMax, long MemoryBytesMax);
