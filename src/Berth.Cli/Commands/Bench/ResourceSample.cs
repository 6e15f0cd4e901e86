namespace Berth.Cli.Commands.Bench;

/// <summary>An agent's resource use at one moment, summed over its instances.</summary>
/// <param name="CpuPercent">CPU in percent of one core (two busy cores are 200).</param>
/// <param name="MemoryBytes">Resident memory in bytes.</param>
internal sealed record ResourceSample(double CpuPercent, long MemoryBytes);
