using System.Globalization;

namespace Berth.Bench.Messaging;

/// <summary>
/// CPU time from /proc, to show where the measured period's CPU went: the server, RabbitMQ, this generator, and everything
/// else on the machine (other people's builds). Times are in clock ticks of 1/100 s, Linux's USER_HZ.
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> watched)
{
    private const double TicksPerSecond = 100;

    private Dictionary<string, long>? _start;

    public void Start() => _start = Sample();

    /// <summary>CPU seconds used since <see cref="Start"/> by each watched process, by this one (<c>generator</c>), by the whole machine (<c>machine</c>) and the rest (<c>other</c>).</summary>
    public IReadOnlyDictionary<string, double> Stop()
    {
        var end = Sample();
        var used = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (label, ticks) in end)
        {
            if (_start is not null && _start.TryGetValue(label, out var before) && ticks >= before)
            {
                used[label] = (ticks - before) / TicksPerSecond;
            }
        }

        if (used.TryGetValue("machine", out var machine))
        {
            used["other"] = Math.Max(0, machine - used.Where(u => u.Key != "machine").Sum(u => u.Value));
        }

        return used;
    }

    private Dictionary<string, long> Sample()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (label, pid) in watched)
        {
            if (ProcessTicks(pid) is { } used)
            {
                ticks[label] = used;
            }
        }

        if (ProcessTicks(Environment.ProcessId) is { } own)
        {
            ticks["generator"] = own;
        }

        if (MachineBusyTicks() is { } busy)
        {
            ticks["machine"] = busy;
        }

        return ticks;
    }

    /// <summary>utime + stime of a process (all its threads), or null when it is gone.</summary>
    private static long? ProcessTicks(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; fields 14 and 15 follow it.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }

    /// <summary>Busy ticks of all CPUs together (the first line of /proc/stat, without idle and iowait).</summary>
    private static long? MachineBusyTicks()
    {
        string line;
        try
        {
            line = File.ReadLines("/proc/stat").First();
        }
        catch (IOException)
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var total = 0L;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            total += i is 4 or 5 ? 0 : value; // idle, iowait
        }

        return total;
    }
}
