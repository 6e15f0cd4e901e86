using Berth.Core.Runtime;
using Berth.Runtime.Process.State;

namespace Berth.Runtime.Process.Logs;

/// <summary>The stdout and stderr time indexes of one instance.</summary>
internal sealed class InstanceLogs(ProcessInstanceFolder directory)
{
    public ProcessInstanceFolder Directory { get; } = directory;

    public LogTimeIndex Stdout { get; } = new(directory.LogPath(LogSource.Stdout), directory.LogIndexPath(LogSource.Stdout));

    public LogTimeIndex Stderr { get; } = new(directory.LogPath(LogSource.Stderr), directory.LogIndexPath(LogSource.Stderr));

    public void CatchUp(DateTimeOffset now)
    {
        if (!Directory.Exists)
        {
            return;
        }

        try
        {
            Stdout.CatchUp(now);
            Stderr.CatchUp(now);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed while we looked: nothing left to stamp.
        }
    }
}
