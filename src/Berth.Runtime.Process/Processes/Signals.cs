using System.Runtime.InteropServices;

namespace Berth.Runtime.Process.Processes;

/// <summary>kill(2), to signal a whole process group (a negative pid) — something <see cref="System.Diagnostics.Process"/> cannot do.</summary>
internal static partial class Signals
{
    public const int Terminate = 15;
    public const int Kill = 9;

    private const int NoSuchProcess = 3;

    /// <summary>Sends <paramref name="signal"/> to every process of the group; false when the group is empty.</summary>
    public static bool SendToGroup(int processGroup, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(processGroup, 1);
        if (SysKill(-processGroup, signal) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchProcess
            ? false
            : throw new Core.Runtime.RuntimeException($"kill(-{processGroup}, {signal}) failed with errno {error}; check the server may signal its agents");
    }

    /// <summary>Whether any process (a zombie included) is in the group: <c>kill(-group, 0)</c> fails with ESRCH only when none is.</summary>
    public static bool GroupExists(int processGroup)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(processGroup, 1);
        return SysKill(-processGroup, 0) == 0 || Marshal.GetLastPInvokeError() != NoSuchProcess;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
