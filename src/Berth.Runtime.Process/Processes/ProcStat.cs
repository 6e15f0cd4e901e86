using System.Globalization;

namespace Berth.Runtime.Process.Processes;

/// <summary>The few fields of <c>/proc/{pid}/stat</c> the driver needs.</summary>
/// <param name="State">Process state letter; <c>Z</c> (zombie) and <c>X</c> (dead) mean it no longer runs.</param>
/// <param name="ProcessGroup">Process group id (field 5).</param>
/// <param name="StartTime">Start time in clock ticks after boot (field 22); with the pid it identifies one process across pid reuse.</param>
internal sealed record ProcStat(char State, int ProcessGroup, long StartTime)
{
    public bool IsLive => State is not ('Z' or 'X' or 'x');

    public static ProcStat? Read(int pid)
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
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    public static ProcStat? Parse(string text)
    {
        // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.Length < 20
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var startTime))
        {
            return null;
        }

        return new ProcStat(fields[0][0], group, startTime);
    }

    /// <summary>Whether any process of the group still runs (zombies do not count: nothing may reap them when PID 1 is no init).</summary>
    public static bool GroupHasLiveMembers(int processGroup)
    {
        // Two cheap answers first: the leader itself alive in its group (an agent running), or no process left in the group
        // at all (an agent gone). Only a zombie leader, or children that outlived it, need the scan of every process in
        // /proc, which made stopping n agents cost n x (all processes) reads: minutes for `berth rm --all` at 500 agents.
        if (Read(processGroup) is { IsLive: true } leader && leader.ProcessGroup == processGroup)
        {
            return true;
        }

        if (!Signals.GroupExists(processGroup))
        {
            return false;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { IsLive: true } stat
                && stat.ProcessGroup == processGroup)
            {
                return true;
            }
        }

        return false;
    }
}
