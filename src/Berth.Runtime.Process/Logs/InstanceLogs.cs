using Berth.Core.Runtime;
using Berth.Runtime.Process.State;

namespace Berth.Runtime.Process.Logs;

/// <summary>The stdout and stderr logs of one instance.</summary>
internal sealed class InstanceLogs(ProcessInstanceFolder directory)
{
    public ProcessInstanceFolder Directory { get; } = directory;

    public RotatingLogFile Stdout { get; } = new(directory.LogPath(LogSource.Stdout), directory.LogIndexPath(LogSource.Stdout));

    public RotatingLogFile Stderr { get; } = new(directory.LogPath(LogSource.Stderr), directory.LogIndexPath(LogSource.Stderr));

    /// <summary>Creates both log files owner-only before the child opens them.</summary>
    public void Create()
    {
        Stdout.Create();
        Stderr.Create();
    }

    public void CatchUp(DateTimeOffset now) => Each(log => log.CatchUp(now));

    private void Each(Action<RotatingLogFile> action)
    {
        if (!Directory.Exists)
        {
            return;
        }

        try
        {
            action(Stdout);
            action(Stderr);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed while we looked: nothing left to stamp.
        }
    }
}
