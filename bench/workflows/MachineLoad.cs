using System.Globalization;

namespace Berth.Bench.Workflows;

/// <summary>How busy the CPU is while the benchmark itself is idle, i.e. with other work; from <c>/proc/stat</c>.</summary>
internal static class MachineLoad
{
    /// <summary>Percent of CPU time in use over one second, or null where <c>/proc/stat</c> cannot be read.</summary>
    public static async Task<int?> BusyPercentAsync(CancellationToken cancellationToken)
    {
        var before = Read();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var after = Read();
        if (before is null || after is null)
        {
            return null;
        }

        var total = after.Value.Total - before.Value.Total;
        return total <= 0 ? 0 : (int)Math.Round(100.0 * (total - (after.Value.Idle - before.Value.Idle)) / total);
    }

    private static (long Total, long Idle)? Read()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToList();
            return (fields.Sum(), fields[3] + fields[4]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
