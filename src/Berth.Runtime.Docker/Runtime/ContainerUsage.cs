using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Turns the engine's stats samples into the figures <c>docker stats</c> prints, computed the same way.</summary>
internal static class ContainerUsage
{
    /// <summary>
    /// CPU in percent of one core between <paramref name="before"/> and <paramref name="after"/>: the container's share of the
    /// host's CPU time over the window, times the online CPUs. Zero when the host's counter did not move (nothing to divide by).
    /// </summary>
    public static double CpuPercent(CpuStats before, CpuStats after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var container = after.CpuUsage.TotalUsage - before.CpuUsage.TotalUsage;
        var system = after.SystemCpuUsage - before.SystemCpuUsage;
        if (container <= 0 || system <= 0)
        {
            return 0;
        }

        var cpus = after.OnlineCpus > 0 ? after.OnlineCpus : Environment.ProcessorCount;
        return Math.Round((double)container / system * cpus * 100, 2);
    }

    /// <summary>Whether the sample carries a previous CPU reading (a streamed or two-sample answer does; a one-shot answer does not).</summary>
    public static bool HasPrevious(ContainerStats stats) => stats.PreCpuStats.SystemCpuUsage > 0;

    /// <summary>Usage less the inactive page cache, which the kernel can drop at any time (<c>docker stats</c>' MEM USAGE).</summary>
    public static long MemoryBytes(MemoryStats memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var stats = memory.Stats;
        ulong cache = 0;
        if (stats is not null && (stats.TryGetValue("inactive_file", out cache) || stats.TryGetValue("total_inactive_file", out cache)) && cache < (ulong)memory.Usage)
        {
            return memory.Usage - (long)cache;
        }

        return memory.Usage;
    }

    /// <summary>Received and sent bytes summed over every interface; nulls when the container has no network of its own.</summary>
    public static (long? Rx, long? Tx) Network(ContainerStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (stats.Networks is not { Count: > 0 } networks)
        {
            return (null, null);
        }

        return (networks.Values.Sum(n => n.RxBytes), networks.Values.Sum(n => n.TxBytes));
    }
}
