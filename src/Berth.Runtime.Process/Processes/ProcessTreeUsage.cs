using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Process.Processes;

/// <summary>
/// The CPU time and resident memory of an instance's process tree, read from <c>/proc</c>: the leader, every descendant (by
/// parent pid) and anything still in its process group or session (a daemonised child re-parented to init stays counted).
/// </summary>
/// <param name="CpuTicks">User and system time of the tree's processes, plus what their reaped children used, in clock ticks.</param>
/// <param name="ResidentBytes">Resident set of the tree's processes in bytes.</param>
/// <param name="Processes">How many processes were counted.</param>
internal sealed partial record ProcessTreeUsage(long CpuTicks, long ResidentBytes, int Processes)
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux

    /// <summary>Clock ticks per second of the kernel's CPU times (sysconf(_SC_CLK_TCK), 100 on nearly every Linux).</summary>
    public static long TicksPerSecond { get; } = ReadTicksPerSecond();

    /// <summary>Reads the tree of <paramref name="leaderPid"/>; null when the leader is gone or is no longer the process that started at <paramref name="startTime"/>.</summary>
    public static ProcessTreeUsage? Read(int leaderPid, long startTime)
    {
        var all = new List<Entry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ReadEntry(pid) is { } entry)
            {
                all.Add(entry);
            }
        }

        if (all.Find(e => e.Pid == leaderPid) is not { } leader || leader.StartTime != startTime)
        {
            return null;
        }

        var members = new HashSet<int> { leaderPid };
        foreach (var entry in all.Where(e => e.Group == leaderPid || e.Session == leaderPid))
        {
            members.Add(entry.Pid);
        }

        // Descendants by parent pid, to any depth: repeat until no new member appears (the tree is small).
        bool grew;
        do
        {
            grew = false;
            foreach (var entry in all)
            {
                if (members.Contains(entry.Parent) && members.Add(entry.Pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        var counted = all.Where(e => members.Contains(e.Pid)).ToList();
        return new ProcessTreeUsage(counted.Sum(e => e.CpuTicks), counted.Sum(e => e.ResidentPages) * Environment.SystemPageSize, counted.Count);
    }

    /// <summary>Parses one <c>/proc/{pid}/stat</c> line; null when it is not in the kernel's format.</summary>
    internal static Entry? Parse(int pid, string text)
    {
        // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // fields[0] is field 3 (state), so field N is fields[N - 3].
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 22)
        {
            return null;
        }

        long Field(int n) => long.TryParse(fields[n - 3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return new Entry(
            pid,
            (int)Field(4),
            (int)Field(5),
            (int)Field(6),
            Field(14) + Field(15) + Field(16) + Field(17),
            Field(24),
            Field(22));
    }

    private static Entry? ReadEntry(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // exited while the directory was listed
            return null;
        }
    }

    private static long ReadTicksPerSecond()
    {
        var ticks = SysConf(ClockTicksName);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    /// <summary>The fields of one process's stat line that the tree needs.</summary>
    internal sealed record Entry(int Pid, int Parent, int Group, int Session, long CpuTicks, long ResidentPages, long StartTime);
}
