using System.Globalization;
using Berth.Core.Runtime;
using Spectre.Console;

namespace Berth.Cli.Commands.Stats;

/// <summary>The table <c>berth stats</c> prints: one row per running instance, sizes in binary units, <c>-</c> where the runtime cannot tell.</summary>
internal static class StatsTable
{
    public static Table Build(StatsOverview stats, DateTimeOffset? sampledAt)
    {
        var table = new Table().NoBorder().AddColumns("AGENT", "INSTANCE", "CPU %", "MEMORY", "LIMIT", "MEM %", "NET RX", "NET TX");
        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }

        foreach (var agent in stats.Agents)
        {
            foreach (var instance in agent.Instances)
            {
                table.AddRow(
                    agent.Agent,
                    instance.InstanceId,
                    instance.CpuPercent.ToString("0.00", CultureInfo.InvariantCulture),
                    Bytes(instance.MemoryBytes),
                    Bytes(instance.MemoryLimitBytes),
                    instance.MemoryLimitBytes is > 0 and var limit ? (100.0 * instance.MemoryBytes / limit).ToString("0.0", CultureInfo.InvariantCulture) : "-",
                    Bytes(instance.NetworkRxBytes),
                    Bytes(instance.NetworkTxBytes));
            }
        }

        if (sampledAt is { } at)
        {
            table.Caption = new TableTitle($"sampled {at.ToUniversalTime():HH:mm:ss}Z; Ctrl+C to stop");
        }

        return table;
    }

    /// <summary><c>512B</c>, <c>1.5KiB</c>, <c>12.3MiB</c>, <c>2.00GiB</c>; <c>-</c> for unknown.</summary>
    internal static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "-";
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var size = (double)value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value}B")
            : string.Create(CultureInfo.InvariantCulture, $"{size:0.0#}{units[unit]}");
    }
}
